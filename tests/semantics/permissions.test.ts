/**
 * permissions.{alternativeHosts, coHosts, participants} × every mode →
 * entitledUsersEdit / Publish / View, through the daemon and the emulators.
 * The mode rows form a Latin square, so each source takes each mode once.
 * Every source lists the owner, a blocked user and an unmatched user, which
 * are dropped (unmatched kept only with onNoMatch create). The participant
 * report is two pages long: its only real participant is on page 2.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { PermissionMode } from '../../src/config/schema.js';
import type { ZoomSeedMeeting, ZoomSeedParticipant } from '../../src/sandbox/zoom/seed-types.js';
import { ZOOM_DEMO_USERS as Z } from '../../src/sandbox/seed/zoom-demo.js';
import { DEFAULT_OWNER, ids, mtg, rf, startLab, type Lab, type Scenario } from './harness.js';

type Source = 'alternativeHosts' | 'coHosts' | 'participants';
type Modes = Record<Source, PermissionMode>;

/** What each source contributes once filtered (owner alice, blocked mallory dropped). */
const KEPT: Record<Source, string[]> = {
  alternativeHosts: ['bob@example.edu'],
  coHosts: ['frank'],
  participants: ['erin@example.edu'],
};
/**
 * Unmatched users each source lists; kept only when onNoMatch is create. Each
 * case has its own, because the cases share one Kaltura partner: a user one
 * case creates would otherwise be matched by a case running beside it.
 */
const UNMATCHED_PREFIX: Record<Source, string> = {
  alternativeHosts: 'alt-new',
  coHosts: 'co-new',
  participants: 'part-new',
};
const unmatched = (source: Source, caseNo: number) => `${UNMATCHED_PREFIX[source]}-${caseNo}@example.edu`;

const TARGETS: Record<PermissionMode, Array<'edit' | 'publish' | 'view'>> = {
  ignore: [],
  coViewer: ['view'],
  coPublisher: ['publish'],
  coEditor: ['edit'],
  coEditorCoPublisher: ['edit', 'publish'],
};

function expected(caseNo: number, modes: Modes, create: boolean, skip: Source[] = []): { edit: string[]; publish: string[]; view: string[] } {
  const out = { edit: new Set<string>(), publish: new Set<string>(), view: new Set<string>() };
  for (const source of Object.keys(modes) as Source[]) {
    if (skip.includes(source)) continue;
    const users = [...KEPT[source], ...(create ? [unmatched(source, caseNo)] : [])];
    for (const t of TARGETS[modes[source]]) for (const u of users) out[t].add(u);
  }
  return { edit: [...out.edit].sort(), publish: [...out.publish].sort(), view: [...out.view].sort() };
}

const blank = (n: number): ZoomSeedParticipant[] => Array.from({ length: n }, (_, i) => ({ name: `Guest ${i}`, email: '' }));

function permissionMeeting(caseNo: number, withChild = false): ZoomSeedMeeting {
  const uuid = `perm-${caseNo}`;
  const files = [rf(`${uuid}-ss`, 'MP4', { recordingType: 'shared_screen' })];
  if (withChild) files.push(rf(`${uuid}-sv`, 'MP4', { recordingType: 'speaker_view' }));
  return mtg(uuid, Z.alice, files, {
    alternativeHosts: [Z.bob.email, Z.mallory.email, Z.alice.email, unmatched('alternativeHosts', caseNo), 'BOB@example.edu'],
    metricsParticipants: [
      { name: 'Alice', email: Z.alice.email, role: 'host' },
      { name: 'Frank', email: Z.frank.email, role: 'cohost' },
      { name: 'Mallory', email: Z.mallory.email, role: 'cohost' },
      { name: 'New', email: unmatched('coHosts', caseNo), role: 'cohost' },
      { name: 'Erin', email: Z.erin.email, role: 'attendee' },
    ],
    // 300 guests without email fill page 1 (zk asks for 300 a page); the real ones are on page 2.
    participants: [...blank(300), { name: 'Erin', email: Z.erin.email }, { name: 'Alice', email: Z.alice.email }, { name: 'Mallory', email: Z.mallory.email }, { name: 'New', email: unmatched('participants', caseNo) }],
  });
}

interface PermCase {
  name: string;
  modes: Modes;
  owner?: Record<string, unknown>;
  create?: boolean;
  /** Sources that must not be read at all (no Zoom call). */
  skipped?: Source[];
  webinar?: boolean;
}

const SQUARE: Modes[] = [
  { alternativeHosts: 'ignore', coHosts: 'coViewer', participants: 'coPublisher' },
  { alternativeHosts: 'coViewer', coHosts: 'coPublisher', participants: 'coEditor' },
  { alternativeHosts: 'coPublisher', coHosts: 'coEditor', participants: 'coEditorCoPublisher' },
  { alternativeHosts: 'coEditor', coHosts: 'coEditorCoPublisher', participants: 'ignore' },
  { alternativeHosts: 'coEditorCoPublisher', coHosts: 'ignore', participants: 'coViewer' },
];

const CASES: PermCase[] = [
  ...SQUARE.map((modes) => ({ name: `alt=${modes.alternativeHosts} co=${modes.coHosts} part=${modes.participants}`, modes })),
  {
    name: 'onNoMatch create keeps unmatched users',
    modes: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' },
    owner: { onNoMatch: 'create' },
    create: true,
  },
  {
    name: 'cmsUserId matching disables the participant lookup',
    modes: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' },
    owner: { matching: 'cmsUserId', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    skipped: ['participants'],
  },
];

let lab: Lab;
const scenarios: Scenario[] = [];
let webinarSc: Scenario;

beforeAll(async () => {
  lab = await startLab();
  CASES.forEach((c, i) => {
    const sc = lab.scenario(c.name);
    sc.addMeeting(permissionMeeting(i, i === 0));
    sc.configure({ owner: c.owner ?? { onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER }, permissions: c.modes });
    scenarios.push(sc);
  });
  // Webinar: participants are the panelists.
  webinarSc = lab.scenario('webinar panelists');
  webinarSc.addMeeting(
    mtg('perm-web', Z.alice, [rf('perm-web-as', 'MP4', { recordingType: 'active_speaker' })], {
      type: 5,
      panelists: [
        { name: 'Bob', email: Z.bob.email },
        { name: 'Frank', email: Z.frank.email },
        { name: 'Mallory', email: Z.mallory.email },
        { name: 'Alice', email: Z.alice.email },
      ],
      metricsParticipants: [{ name: 'Erin', email: Z.erin.email, role: 'cohost' }],
    }),
  );
  webinarSc.configure({
    owner: { onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    permissions: { alternativeHosts: 'ignore', coHosts: 'coEditor', participants: 'coViewer' },
  });
  lab.zoom.state.resetCallLog();
  await Promise.all([...scenarios, webinarSc].map((s) => s.settle()));
}, 60_000);

afterAll(async () => lab?.close());

describe.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_n, c, i) => {
  test('entitled users on the entry', () => {
    const sc = scenarios[i];
    const entry = sc.entryOf(`perm-${i}-ss`);
    expect(entry.userId).toBe('alice');
    expect({ edit: ids(entry.entitledUsersEdit), publish: ids(entry.entitledUsersPublish), view: ids(entry.entitledUsersView) }).toEqual(
      expected(i, c.modes, c.create ?? false, c.skipped),
    );
  });

  test('an ignored source costs no Zoom call', () => {
    const calls = lab.zoom.state.callCountsByAccount()[scenarios[i].accountId] ?? {};
    const called = (fragment: string) => Object.entries(calls).some(([k, n]) => k.includes(fragment) && n > 0);
    const ignored = (s: Source) => c.modes[s] === 'ignore' || (c.skipped ?? []).includes(s);
    expect(called('/report/meetings/')).toBe(!ignored('participants'));
    expect(called('/metrics/meetings/')).toBe(!ignored('coHosts'));
  });
});

test('children carry the same entitlements as their parent', () => {
  const sc = scenarios[0];
  const parent = sc.entryOf('perm-0-ss');
  const child = sc.entryOf('perm-0-sv');
  expect(child.parentEntryId).toBe(parent.id);
  expect(ids(child.entitledUsersView)).toEqual(ids(parent.entitledUsersView));
  expect(ids(child.entitledUsersPublish)).toEqual(ids(parent.entitledUsersPublish));
  expect(ids(child.entitledUsersEdit)).toEqual(ids(parent.entitledUsersEdit));
  expect(ids(parent.entitledUsersView)).toEqual(['frank']);
});

test('webinar: participants are the panelists, co-hosts from webinar metrics', () => {
  const entry = webinarSc.entryOf('perm-web-as');
  expect(ids(entry.entitledUsersView)).toEqual(['bob@example.edu', 'frank']);
  expect(ids(entry.entitledUsersEdit)).toEqual(['erin@example.edu']);
  expect(ids(entry.entitledUsersPublish)).toEqual([]);
});
