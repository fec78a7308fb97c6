import { describe, expect, test, afterEach } from '@jest/globals';
import { registerFilesCommand } from '../../src/cli/commands/files.js';
import { EXIT } from '../../src/errors.js';
import type { FileDetail, FileSummary } from '../../src/ops/files-query.js';
import { NOW, insertAccount, insertEvent, insertFile, insertRecording, makeConfig, makeStore, runCli, type Fixture } from './fixtures.js';

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

interface Seeded extends Fixture {
  ids: Record<string, number>;
}

function seeded(): Seeded {
  const f = makeStore();
  fixtures.push(f);
  const { db } = f;
  insertAccount(db, 'main');
  insertAccount(db, 'med');
  const old = insertRecording(db, 'main', 'uuid-old==', '2024-05-01T09:00:00Z', 'Old lecture');
  const recent = insertRecording(db, 'main', 'uuid-new==', '2024-06-09T10:00:00Z', 'Recent lecture');
  const other = insertRecording(db, 'med', 'uuid-med==', '2024-06-08T10:00:00Z', 'Anatomy');
  const ids = {
    failed: insertFile(db, old, { state: 'FAILED', attempts: 8, lastError: 'Kaltura import timed out' }),
    pending: insertFile(db, recent, { state: 'PENDING' }),
    retryWait: insertFile(db, recent, { state: 'RETRY_WAIT', attempts: 3, nextAttemptAt: NOW + 600_000, fileType: 'M4A' }),
    transferring: insertFile(db, recent, { state: 'TRANSFERRING', leaseOwner: 'daemon-1', leaseUntil: NOW + 60_000 }),
    importingLeased: insertFile(db, recent, { state: 'IMPORTING', leaseOwner: 'daemon-1', leaseUntil: NOW + 60_000 }),
    importingFree: insertFile(db, recent, { state: 'IMPORTING', leaseOwner: 'daemon-1', leaseUntil: NOW - 60_000 }),
    purged: insertFile(db, old, { state: 'PURGED' }),
    medFailed: insertFile(db, other, { state: 'FAILED', attempts: 8 }),
    failedLeased: insertFile(db, other, { state: 'FAILED', leaseOwner: 'import-7', leaseUntil: NOW + 60_000 }),
  };
  insertEvent(db, ids.failed, NOW - 3000, null, 'DETECTED', 'listed by Zoom (processing)');
  insertEvent(db, ids.failed, NOW - 2000, 'DETECTED', 'PENDING', 'completed in Zoom');
  insertEvent(db, ids.failed, NOW - 1000, 'PENDING', 'FAILED', 'attempts exhausted: Kaltura import timed out');
  return { ...f, ids };
}

const eventsOf = (f: Fixture, id: number) =>
  f.db.prepare('SELECT from_state, to_state, reason, actor, at FROM events WHERE file_id = ? ORDER BY id').all(id) as Array<{
    from_state: string;
    to_state: string;
    reason: string;
    actor: string;
    at: number;
  }>;
const rowOf = (f: Fixture, id: number) =>
  f.db.prepare('SELECT state, attempts, next_attempt_at, lease_owner FROM files WHERE id = ?').get(id) as {
    state: string;
    attempts: number;
    next_attempt_at: number | null;
    lease_owner: string | null;
  };

async function files(f: Fixture, ...args: string[]) {
  return runCli([registerFilesCommand], ['files', ...args], { config: makeConfig(f.dbPath) });
}

describe('zk files list', () => {
  test('filters by state (case-insensitive, comma-separated), account and since', async () => {
    const f = seeded();
    const byState = JSON.parse((await files(f, 'list', '--state', 'failed,PENDING', '--json')).stdout) as { files: FileSummary[] };
    expect(byState.files.map((x) => x.id).sort()).toEqual([f.ids.failed, f.ids.pending, f.ids.medFailed, f.ids.failedLeased].sort());

    const byAccount = JSON.parse((await files(f, 'list', '--state', 'FAILED', '--account', 'med', '--json')).stdout) as { files: FileSummary[] };
    expect(byAccount.files.map((x) => x.id).sort()).toEqual([f.ids.medFailed, f.ids.failedLeased].sort());

    // 7 days before 2024-06-10T12:00Z excludes the May recording.
    const since = JSON.parse((await files(f, 'list', '--since', '7d', '--json')).stdout) as { files: FileSummary[] };
    expect(since.files.some((x) => x.id === f.ids.failed)).toBe(false);
    expect(since.files).toHaveLength(7);
    const sinceIso = JSON.parse((await files(f, 'list', '--since', '2024-06-09', '--json')).stdout) as { files: FileSummary[] };
    expect(new Set(sinceIso.files.map((x) => x.account))).toEqual(new Set(['main']));
  });

  test('newest recording first, --limit truncates and says so in the table', async () => {
    const f = seeded();
    const run = await files(f, 'list', '--limit', '2');
    expect(run.code).toBe(EXIT.OK);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+ACCOUNT\s+STATE\s+TYPE\s+SIZE/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('2024-06-09T10:00:00Z');
    expect(lines[3]).toContain('first 2 shown');
    const json = JSON.parse((await files(f, 'list', '--limit', '2', '--json')).stdout) as { truncated: boolean; files: FileSummary[] };
    expect(json.truncated).toBe(true);
    expect(json.files).toHaveLength(2);
  });

  test.each([
    [['--state', 'DONE'], 'unknown state "DONE"', 'PENDING'],
    [['--since', 'last week'], 'invalid --since value "last week"', '7d'],
    [['--since', '7x'], 'invalid --since value "7x"', '7d'],
    [['--limit', '0'], 'invalid --limit value "0"', 'whole number'],
    [['--account', 'ghost'], 'unknown account "ghost"', 'main'],
  ])('bad input %j is a usage error naming the value and the fix', async (args, message, fix) => {
    const f = seeded();
    const run = await files(f, 'list', ...args);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(fix);
    expect(run.stdout).toBe('');
  });
});

describe('zk files show', () => {
  test('by id: the file with every event (time, from -> to, reason, actor)', async () => {
    const f = seeded();
    const json = JSON.parse((await files(f, 'show', String(f.ids.failed), '--json')).stdout) as { files: FileDetail[] };
    expect(json.files).toHaveLength(1);
    expect(json.files[0]).toMatchObject({ id: f.ids.failed, state: 'FAILED', topic: 'Old lecture', lastError: 'Kaltura import timed out' });
    expect(json.files[0].events.map((e) => [e.from, e.to, e.actor])).toEqual([
      [null, 'DETECTED', 'daemon'],
      ['DETECTED', 'PENDING', 'daemon'],
      ['PENDING', 'FAILED', 'daemon'],
    ]);
    expect(json.files[0].events[2]).toMatchObject({ at: '2024-06-10T11:59:59Z', reason: 'attempts exhausted: Kaltura import timed out' });

    const table = (await files(f, 'show', String(f.ids.failed))).stdout;
    expect(table).toContain('meeting uuid:    uuid-old==');
    expect(table).toMatch(/2024-06-10T11:59:59Z\s+PENDING\s+FAILED\s+daemon\s+attempts exhausted/);
  });

  test('by meeting UUID: every file of the meeting', async () => {
    const f = seeded();
    const json = JSON.parse((await files(f, 'show', 'uuid-new==', '--json')).stdout) as { files: FileDetail[] };
    expect(json.files.map((x) => x.id).sort()).toEqual([f.ids.pending, f.ids.retryWait, f.ids.transferring, f.ids.importingLeased, f.ids.importingFree].sort());
  });

  test('unknown id or uuid: usage error', async () => {
    const f = seeded();
    const run = await files(f, 'show', '99999');
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain('no file with id or meeting UUID "99999"');
  });
});

describe('zk files retry', () => {
  test('FAILED -> PENDING with attempts reset, and an event by the cli', async () => {
    const f = seeded();
    const run = await files(f, 'retry', String(f.ids.failed));
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain(`file ${f.ids.failed}: FAILED -> PENDING`);
    expect(rowOf(f, f.ids.failed)).toMatchObject({ state: 'PENDING', attempts: 0, next_attempt_at: null });
    expect(eventsOf(f, f.ids.failed).at(-1)).toEqual({ from_state: 'FAILED', to_state: 'PENDING', reason: 'operator retry', actor: 'cli', at: NOW });
  });

  test('RETRY_WAIT -> PENDING clears next_attempt_at', async () => {
    const f = seeded();
    expect((await files(f, 'retry', String(f.ids.retryWait))).code).toBe(EXIT.OK);
    expect(rowOf(f, f.ids.retryWait)).toMatchObject({ state: 'PENDING', attempts: 0, next_attempt_at: null });
  });

  test.each(['pending', 'transferring', 'purged'] as const)('refuses a %s file and writes nothing', async (key) => {
    const f = seeded();
    const id = f.ids[key];
    const before = rowOf(f, id);
    const run = await files(f, 'retry', String(id));
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stderr).toContain('only FAILED, NEEDS_REVIEW or RETRY_WAIT files can be retried');
    expect(rowOf(f, id)).toEqual(before);
    expect(eventsOf(f, id).filter((e) => e.actor === 'cli')).toHaveLength(0);
  });

  test('refuses a FAILED file another process holds a live lease on', async () => {
    const f = seeded();
    const run = await files(f, 'retry', String(f.ids.failedLeased));
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stderr).toContain('being worked on by import-7');
    expect(rowOf(f, f.ids.failedLeased).state).toBe('FAILED');
  });

  test('--failed retries every FAILED file of the account, skips leased ones and exits 3', async () => {
    const f = seeded();
    const run = await files(f, 'retry', '--failed', '--account', 'med', '--json');
    expect(run.code).toBe(EXIT.PARTIAL);
    const result = JSON.parse(run.stdout) as { retried: Array<{ id: number }>; skipped: Array<{ id: number }> };
    expect(result.retried.map((t) => t.id)).toEqual([f.ids.medFailed]);
    expect(result.skipped.map((s) => s.id)).toEqual([f.ids.failedLeased]);
    expect(rowOf(f, f.ids.failed).state).toBe('FAILED'); // other account untouched
    expect(eventsOf(f, f.ids.medFailed).at(-1)).toMatchObject({ to_state: 'PENDING', actor: 'cli' });
  });

  test('--failed for every account', async () => {
    const f = seeded();
    f.db.prepare('UPDATE files SET lease_owner = NULL, lease_until = NULL WHERE id = ?').run(f.ids.failedLeased);
    const run = await files(f, 'retry', '--failed');
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain('3 retried, 0 skipped');
    expect(f.db.prepare("SELECT COUNT(*) AS n FROM files WHERE state = 'FAILED'").get()).toEqual({ n: 0 });
  });

  test.each([
    [[], 'give a file id'],
    [['1', '--failed'], 'not both'],
    [['abc'], 'invalid file id "abc"'],
    [['424242'], 'no file with id 424242'],
  ])('usage errors: %j', async (args, message) => {
    const f = seeded();
    const run = await files(f, 'retry', ...args);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain(message);
  });
});

describe('zk files ignore', () => {
  test('PENDING -> IGNORED with the reason recorded', async () => {
    const f = seeded();
    const run = await files(f, 'ignore', String(f.ids.pending), '--reason', 'test meeting', '--json');
    expect(run.code).toBe(EXIT.OK);
    expect(JSON.parse(run.stdout)).toEqual({ id: f.ids.pending, account: 'main', from: 'PENDING', to: 'IGNORED' });
    expect(rowOf(f, f.ids.pending).state).toBe('IGNORED');
    expect(eventsOf(f, f.ids.pending).at(-1)).toMatchObject({ from_state: 'PENDING', to_state: 'IGNORED', reason: 'operator ignore: test meeting', actor: 'cli' });
  });

  test('IMPORTING whose lease expired may be ignored; FAILED may be acknowledged', async () => {
    const f = seeded();
    expect((await files(f, 'ignore', String(f.ids.importingFree))).code).toBe(EXIT.OK);
    expect(rowOf(f, f.ids.importingFree)).toMatchObject({ state: 'IGNORED', lease_owner: null });
    expect((await files(f, 'ignore', String(f.ids.failed))).code).toBe(EXIT.OK);
    expect(eventsOf(f, f.ids.failed).at(-1)).toMatchObject({ reason: 'operator ignore' });
  });

  test.each([
    ['transferring', 'bytes are moving'],
    ['importingLeased', 'being worked on by daemon-1'],
    ['purged', 'already finished'],
  ] as Array<['transferring' | 'importingLeased' | 'purged', string]>)('refuses %s and writes nothing', async (key, message) => {
    const f = seeded();
    const id = f.ids[key];
    const before = rowOf(f, id);
    const run = await files(f, 'ignore', String(id));
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stderr).toContain(message);
    expect(rowOf(f, id)).toEqual(before);
    expect(eventsOf(f, id).filter((e) => e.actor === 'cli')).toHaveLength(0);
  });

  // Issue 19: HANDLED and PURGE_PENDING may be ignored (kept in Zoom); a parent takes its captions, chat and covered audio along.
  function segment(f: Seeded, companionLease?: number) {
    const rec = insertRecording(f.db, 'main', 'uuid-seg==', '2024-06-09T12:00:00Z', 'Segment');
    const ids = {
      parent: insertFile(f.db, rec, { state: 'PURGE_PENDING' }),
      child: insertFile(f.db, rec, { state: 'HANDLED' }),
      caption: insertFile(f.db, rec, { state: 'HANDLED', fileType: 'TRANSCRIPT', leaseOwner: companionLease ? 'daemon-1' : undefined, leaseUntil: companionLease }),
      chat: insertFile(f.db, rec, { state: 'PURGE_PENDING', fileType: 'CHAT' }),
      audio: insertFile(f.db, rec, { state: 'COVERED', fileType: 'M4A' }),
    };
    const setRole = f.db.prepare('UPDATE files SET role = ? WHERE id = ?');
    for (const [role, id] of [['parent', ids.parent], ['child', ids.child], ['caption', ids.caption], ['attachment', ids.chat], ['covered', ids.audio]] as const) setRole.run(role, id);
    return ids;
  }

  test('a PURGE_PENDING parent: ignored with its caption, chat and covered audio, so none of them leaves Zoom; other views stay', async () => {
    const f = seeded();
    const ids = segment(f);
    const run = await files(f, 'ignore', String(ids.parent), '--json');
    expect(run.code).toBe(EXIT.OK);
    const doc = JSON.parse(run.stdout) as { from: string; alsoIgnored: Array<{ id: number; from: string }> };
    expect(doc.from).toBe('PURGE_PENDING');
    expect(doc.alsoIgnored.map((t) => t.id).sort()).toEqual([ids.caption, ids.chat, ids.audio].sort());
    for (const id of [ids.parent, ids.caption, ids.chat, ids.audio]) expect(rowOf(f, id).state).toBe('IGNORED');
    expect(rowOf(f, ids.child).state).toBe('HANDLED');
    expect(eventsOf(f, ids.chat).at(-1)).toMatchObject({ from_state: 'PURGE_PENDING', to_state: 'IGNORED', actor: 'cli', reason: expect.stringContaining(`parent file ${ids.parent}`) });
  });

  test('a HANDLED caption alone is ignored alone', async () => {
    const f = seeded();
    const ids = segment(f);
    expect((await files(f, 'ignore', String(ids.caption))).code).toBe(EXIT.OK);
    expect(rowOf(f, ids.caption).state).toBe('IGNORED');
    expect(rowOf(f, ids.parent).state).toBe('PURGE_PENDING');
  });

  test('when a companion is being worked on, the parent is not ignored either (all or nothing)', async () => {
    const f = seeded();
    const ids = segment(f, NOW + 60_000);
    const run = await files(f, 'ignore', String(ids.parent));
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stderr).toContain(`with its parent file ${ids.parent}`);
    expect(rowOf(f, ids.parent).state).toBe('PURGE_PENDING');
    expect(rowOf(f, ids.chat).state).toBe('PURGE_PENDING');
  });

  test('ignoring twice is refused the second time', async () => {
    const f = seeded();
    expect((await files(f, 'ignore', String(f.ids.pending))).code).toBe(EXIT.OK);
    const again = await files(f, 'ignore', String(f.ids.pending));
    expect(again.code).toBe(EXIT.PARTIAL);
    expect(again.stderr).toContain('already ignored');
  });
});
