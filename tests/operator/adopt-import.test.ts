/**
 * Issue 22, the operator's switch-over: `zk import-legacy --dry-run` (and
 * `zk backfill --dry-run`) shows per account the files to ingest, to adopt from
 * Kaltura's own Zoom integration, and the conflicts, writing nothing; the
 * import then adopts exactly those; `zk files show` names the adopted entry.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { kalturaState, runZk, world, zoomState, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await world({ zoomIntegration: true });
  w.sandbox.zoom.state.completeProcessing();
});
afterAll(() => w.close());

const from = () => new Date(w.clock.now() - 5 * 86_400_000).toISOString().slice(0, 10);
const ADOPT = ['f-lab-ssv', 'f-lab-sv', 'f-lab-transcript', 'f-oh-1-sv', 'f-web-as', 'f-web-transcript', 'f-phone-audio'];

interface Plan {
  perAccount: Record<string, Record<string, number>>;
  totals: Record<string, { files: number }>;
  files: Array<{ fileId: string; action: string; reason: string }>;
}

test('the dry run shows per account what would be ingested, adopted, and the conflicts, and writes nothing', async () => {
  const before = { kaltura: kalturaState(w), zoom: zoomState(w) };
  const r = await w.zk(['import-legacy', '--from', from(), '--dry-run', '--json']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const plan = JSON.parse(r.stdout) as Plan;
  expect(plan.files.filter((f) => f.action === 'adopt').map((f) => f.fileId).sort()).toEqual([...ADOPT].sort());
  // The seminar's parent is errored in Kaltura: both its files are conflicts zk would ingest itself.
  expect(plan.files.filter((f) => f.action === 'conflict').map((f) => f.fileId).sort()).toEqual(['f-sem-cc', 'f-sem-ss']);
  expect(plan.files.find((f) => f.fileId === 'f-sem-ss')?.reason).toMatch(/errored/);
  // The partial segment's missing view and chat are to be ingested.
  for (const id of ['f-lab-gv', 'f-lab-chat', 'f-oh-2-sv', 'f-frank-gv']) expect(plan.files.find((f) => f.fileId === id)?.action).toBe('ingest');
  expect(plan.perAccount.demo).toMatchObject({ adopt: 7, conflict: 2, ingest: plan.totals.ingest.files });
  const text = await w.zk(['import-legacy', '--from', from(), '--dry-run']);
  expect(text.stdout).toMatch(/would adopt from Kaltura's Zoom integration \(nothing uploaded\): 7 files/);
  expect(text.stdout).toMatch(/conflicts .*: 2 files/);
  expect(text.stdout).toMatch(/demo: \d+ to ingest, 7 to adopt, 2 conflicts/);
  const bf = await runZk(['backfill', '--window', '5d', '--dry-run', '--json', '--config', w.configFile], { clock: w.clock });
  expect((JSON.parse(bf.stdout) as Plan).perAccount.demo).toMatchObject({ adopt: 7, conflict: 2 });
  expect(kalturaState(w)).toBe(before.kaltura);
  expect(zoomState(w)).toBe(before.zoom);
});

test('the import adopts what the dry run announced; files show names the adopted entry; the dry run then shows them as tracked', async () => {
  const r = await w.zk(['import-legacy', '--from', from(), '--json']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const db = w.db();
  const adopted = db
    .prepare("SELECT f.id, f.zoom_file_id AS fileId, f.kaltura_entry_id AS entryId FROM file_adoptions a JOIN files f ON f.id = a.file_id WHERE a.outcome = 'adopted' ORDER BY f.zoom_file_id")
    .all() as Array<{ id: number; fileId: string; entryId: string }>;
  const actors = db.prepare("SELECT DISTINCT e.actor FROM events e JOIN file_adoptions a ON a.file_id = e.file_id WHERE e.to_state = 'HANDLED'").all() as Array<{ actor: string }>;
  db.close();
  expect(adopted.map((a) => a.fileId)).toEqual([...ADOPT].sort());
  expect(actors.map((a) => a.actor)).toEqual(['import']);

  const lab = adopted.find((a) => a.fileId === 'f-lab-ssv')!;
  const show = await w.zk(['files', 'show', String(lab.id)]);
  expect(show.code).toBe(0);
  expect(show.stdout).toContain(`adoption:        from Kaltura's Zoom integration: entry ${lab.entryId}`);
  expect(show.stdout).toContain("adopted from Kaltura's Zoom integration");
  const json = JSON.parse((await w.zk(['files', 'show', String(lab.id), '--json'])).stdout) as { files: Array<{ adoption: { outcome: string; kalturaEntryId: string } }> };
  expect(json.files[0].adoption).toMatchObject({ outcome: 'adopted', kalturaEntryId: lab.entryId });

  const again = JSON.parse((await w.zk(['import-legacy', '--from', from(), '--to', new Date(w.clock.now()).toISOString().slice(0, 10), '--dry-run', '--json'])).stdout) as Plan;
  expect(again.totals.adopt.files + again.totals.conflict.files).toBe(0);
});
