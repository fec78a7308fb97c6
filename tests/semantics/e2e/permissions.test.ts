/**
 * permissions.{alternativeHosts, coHosts, participants} × every mode →
 * entitledUsersEdit / Publish / View on the parent and its children. The five
 * worlds rotate the modes so that each source takes each mode once. Every
 * source also lists the owner, a blocked user and an unmatched user: the
 * first two are always dropped, the unmatched one is kept only with
 * onNoMatch create. The participant report is two pages long (300 + more).
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { PERMISSION_MODES, type PermissionMode } from '../../../src/config/schema.js';
import type { ZoomSeedParticipant } from '../../../src/sandbox/zoom/seed-types.js';
import { closeWorlds, list, meeting, mp4, world, zoomCalls, ZU } from './harness.js';

afterEach(closeWorlds);

type Source = 'alternativeHosts' | 'coHosts' | 'participants';
type List = 'edit' | 'publish' | 'view';

/** The mapping under test, written out independently of the implementation. */
const LISTS: Record<PermissionMode, List[]> = {
  ignore: [],
  coViewer: ['view'],
  coPublisher: ['publish'],
  coEditor: ['edit'],
  coEditorCoPublisher: ['edit', 'publish'],
};

/** Who each source contributes once filtered; the owner is alice. */
const KEPT: Record<Source, string> = { alternativeHosts: 'bob@example.edu', coHosts: 'frank', participants: 'erin@example.edu' };
const UNMATCHED: Record<Source, string> = { alternativeHosts: 'alt-new@example.org', coHosts: 'co-new@example.org', participants: 'part-new@example.org' };

const guests: ZoomSeedParticipant[] = Array.from({ length: 300 }, (_, i) => ({ name: `Guest ${i}`, email: '' }));

function permissionsMeeting(name: string, uuid?: string) {
  return meeting(name, {
    uuid,
    host: ZU.alice,
    files: [mp4(`${name}-ssv`, 'shared_screen_with_speaker_view'), mp4(`${name}-gv`, 'gallery_view')],
    alternativeHosts: [ZU.bob.email, ZU.alice.email, ZU.mallory.email, UNMATCHED.alternativeHosts],
    metricsParticipants: [
      { name: 'Alice', email: ZU.alice.email, role: 'host' },
      { name: 'Frank', email: ZU.frank.email, role: 'cohost' },
      { name: 'Alice again', email: 'ALICE@example.edu', role: 'cohost' },
      { name: 'Mallory', email: ZU.mallory.email, role: 'cohost' },
      { name: 'Newcomer', email: UNMATCHED.coHosts, role: 'cohost' },
      { name: 'Erin', email: ZU.erin.email, role: 'attendee' },
    ],
    // The real participants are only on the report's second page.
    participants: [
      ...guests,
      { name: 'Erin', email: ZU.erin.email },
      { name: 'Alice', email: ZU.alice.email },
      { name: 'Mallory', email: ZU.mallory.email },
      { name: 'Newcomer', email: UNMATCHED.participants },
      { name: 'Erin rejoined', email: 'Erin@Example.edu' },
    ],
  });
}

function expected(modes: Record<Source, PermissionMode>, keepUnmatched: boolean): Record<List, string[]> {
  const out: Record<List, string[]> = { edit: [], publish: [], view: [] };
  for (const source of Object.keys(modes) as Source[]) {
    for (const l of LISTS[modes[source]]) {
      out[l].push(KEPT[source]);
      if (keepUnmatched) out[l].push(UNMATCHED[source]);
    }
  }
  for (const l of Object.keys(out) as List[]) out[l].sort();
  return out;
}

const ROTATION = PERMISSION_MODES.map((_, i) => ({
  alternativeHosts: PERMISSION_MODES[i],
  coHosts: PERMISSION_MODES[(i + 1) % PERMISSION_MODES.length],
  participants: PERMISSION_MODES[(i + 2) % PERMISSION_MODES.length],
}));

describe('entitled users: each source in each mode', () => {
  test.each(ROTATION)('alternativeHosts=$alternativeHosts coHosts=$coHosts participants=$participants', async (modes) => {
    const w = await world({ meetings: [permissionsMeeting('perm')], account: { permissions: modes } });
    expect(await w.run()).toBe(0);
    const want = expected(modes, false);
    const parent = w.entryOf('perm-ssv');
    const child = w.entryOf('perm-gv');
    expect(parent.userId).toBe('alice');
    for (const entry of [parent, child]) {
      expect({ edit: list(entry.entitledUsersEdit), publish: list(entry.entitledUsersPublish), view: list(entry.entitledUsersView) }).toEqual(want);
    }
    // A source in "ignore" costs no Zoom call; participants are read to the last page.
    expect(zoomCalls(w, '/metrics/meetings/')).toBe(modes.coHosts === 'ignore' ? 0 : 1);
    expect(zoomCalls(w, '/report/meetings/')).toBe(modes.participants === 'ignore' ? 0 : 2);
  });

  test('onNoMatch create keeps unmatched users (Kaltura creates them); owner and blocked users are still dropped', async () => {
    const modes = { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' } as const;
    // A UUID with '/' and '//': co-hosts and participants are read for this instance, double-encoded.
    const w = await world({ meetings: [permissionsMeeting('create', '/sEm//Create+Perm1==')], account: { permissions: modes, owner: { onNoMatch: 'create' } } });
    expect(await w.run()).toBe(0);
    const parent = w.entryOf('create-ssv');
    expect({ edit: list(parent.entitledUsersEdit), publish: list(parent.entitledUsersPublish), view: list(parent.entitledUsersView) }).toEqual(expected(modes, true));
    const all = [parent.entitledUsersEdit, parent.entitledUsersPublish, parent.entitledUsersView].join(',').toLowerCase();
    expect(all).not.toContain('mallory');
    expect(all).not.toContain('alice');
  });

  test('webinars: panelists are the participants, co-hosts come from the webinar metrics', async () => {
    const webinar = meeting('web', {
      type: 9,
      host: ZU.alice,
      files: [mp4('web-as', 'active_speaker')],
      panelists: [
        { name: 'Bob', email: ZU.bob.email },
        { name: 'Mallory', email: ZU.mallory.email },
      ],
      metricsParticipants: [{ name: 'Frank', email: ZU.frank.email, role: 'cohost' }],
      participants: [{ name: 'Erin', email: ZU.erin.email }],
      alternativeHosts: [ZU.erin.email],
    });
    const w = await world({ meetings: [webinar], account: { permissions: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' } } });
    expect(await w.run()).toBe(0);
    const e = w.entryOf('web-as');
    expect({ edit: list(e.entitledUsersEdit), publish: list(e.entitledUsersPublish), view: list(e.entitledUsersView) }).toEqual({
      edit: ['erin@example.edu'],
      publish: ['frank'],
      view: ['bob@example.edu'],
    });
    expect(zoomCalls(w, '/webinars/{webinarId}/panelists')).toBe(1);
    expect(zoomCalls(w, '/report/meetings/')).toBe(0);
    expect(zoomCalls(w, '/metrics/webinars/')).toBe(1);
  });

  test('a permission source Zoom refuses (plan without dashboard) is skipped, the recording still ingests', async () => {
    const w = await world({ meetings: [permissionsMeeting('nodash')], account: { permissions: { coHosts: 'coEditor', participants: 'coViewer' } } });
    w.zoom.setFaults({ failNext: [{ pathPrefix: '/v2/metrics/', status: 400, code: 200, message: 'Dashboard feature has not been enabled.', count: 99 }] });
    expect(await w.run()).toBe(0);
    const e = w.entryOf('nodash-ssv');
    expect(list(e.entitledUsersEdit)).toEqual([]);
    expect(list(e.entitledUsersView)).toEqual(['erin@example.edu']);
  });
});
