/**
 * Opt-in / opt-out groups: membership of the resolved owner (every page of
 * groupuser.list), the default user's groups when it owns the entry, and an
 * excluded recording IGNORED with its reason and never deleted from Zoom.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { config as configSchema } from '../../../src/config/schema.js';
import { closeWorlds, HOUR, kalturaCalls, m4a, meeting, mp4, transcript, world, ZU } from './harness.js';

afterEach(closeWorlds);

const stranger = { id: 'u-stranger', email: 'stranger@example.edu', type: 2, status: 'active' as const };
const files = (p: string) => [mp4(`${p}-sv`, 'speaker_view'), mp4(`${p}-gv`, 'gallery_view'), transcript(`${p}-tr`), m4a(`${p}-audio`)];
const deleteSoon = { enabled: true, delay: '1h', action: 'trash' };

function zoomState(w: Awaited<ReturnType<typeof world>>, meetingUuid: string): string[] {
  return w.zoom.state.meeting(meetingUuid)!.files.map((f) => f.state);
}

describe('groups', () => {
  test('opt-in: a member (on the second page of memberships) is ingested; others are IGNORED with the reason and stay in Zoom', async () => {
    const alice = meeting('in-alice', { host: ZU.alice, files: files('in-alice') });
    const erin = meeting('in-erin', { host: ZU.erin, files: files('in-erin') });
    const unknown = meeting('in-unknown', { host: stranger, files: files('in-unknown') });
    const w = await world({ zoomUsers: [stranger], meetings: [alice, erin, unknown], account: { groups: { optIn: ['zoom-optin'] }, delete: deleteSoon } });
    expect(await w.run()).toBe(0);

    for (const id of ['in-alice-sv', 'in-alice-gv', 'in-alice-tr']) expect(w.file(id).state).toBe('PURGE_PENDING');
    for (const [p, owner] of [['in-erin', 'erin@example.edu'], ['in-unknown', 'zoom-default']] as const) {
      // The covered audio of an excluded segment is IGNORED too (so it is never deleted with a video).
      for (const id of [`${p}-sv`, `${p}-gv`, `${p}-tr`, `${p}-audio`]) {
        const row = w.file(id);
        expect({ id, state: row.state }).toEqual({ id, state: 'IGNORED' });
        expect(row.reason).toBe(`policy: owner ${owner} is in none of the opt-in groups (accounts[demo].groups.optIn: zoom-optin)`);
        expect(row.kalturaEntryId).toBeNull();
      }
    }
    expect(w.entries().map((e) => e.userId)).toEqual(['alice', 'alice']);
    // alice has 36 memberships: both pages were read.
    expect(kalturaCalls(w, 'groupuser.list')).toBeGreaterThanOrEqual(4);

    // After the delay only the ingested recording leaves Zoom.
    w.clock.advance(2 * HOUR);
    expect(await w.run()).toBe(0);
    expect(zoomState(w, alice.uuid).slice(0, 3)).toEqual(['trashed', 'trashed', 'trashed']);
    expect(zoomState(w, erin.uuid)).toEqual(['live', 'live', 'live', 'live']);
    expect(zoomState(w, unknown.uuid)).toEqual(['live', 'live', 'live', 'live']);
  });

  test('opt-out: a member is IGNORED with the group named; a non-member is ingested', async () => {
    const w = await world({
      meetings: [meeting('out-erin', { host: ZU.erin, files: files('out-erin') }), meeting('out-bob', { host: ZU.bob, files: files('out-bob') })],
      account: { groups: { optOut: ['zoom-optout'] } },
    });
    expect(await w.run()).toBe(0);
    const row = w.file('out-erin-sv');
    expect(row.state).toBe('IGNORED');
    expect(row.reason).toBe('policy: owner erin@example.edu is in opt-out group zoom-optout (accounts[demo].groups.optOut)');
    expect(w.file('out-erin-tr').state).toBe('IGNORED');
    expect(w.file('out-bob-sv').state).toBe('HANDLED');
    expect(w.file('out-bob-tr').state).toBe('HANDLED');
  });

  test('default user as owner: the default user\'s groups decide (group ids case-insensitive)', async () => {
    const w = await world({
      zoomUsers: [stranger],
      kaltura: { groups: [{ id: 'defaults', members: ['zoom-default'] }] },
      meetings: [meeting('dg-unknown', { host: stranger }), meeting('dg-blocked', { host: ZU.mallory }), meeting('dg-alice', { host: ZU.alice })],
      account: { groups: { optIn: ['Defaults'] } },
    });
    expect(await w.run()).toBe(0);
    // Unmatched and blocked hosts fall back to zoom-default, which is in the group.
    expect(w.entryOf('dg-unknown-sv').userId).toBe('zoom-default');
    expect(w.entryOf('dg-blocked-sv').userId).toBe('zoom-default');
    expect(w.file('dg-alice-sv')).toMatchObject({ state: 'IGNORED', reason: expect.stringContaining('owner alice is in none of the opt-in groups') });
  });

  test('no owner at all (host without email, no default user): opt-in excludes it, opt-out lets it through', async () => {
    const account = (groups: Record<string, string[]>) => ({ owner: { onNoMatch: 'create', defaultUserId: undefined }, groups });
    const inWorld = await world({ meetings: [meeting('none-in', { host: ZU.noemail })], account: account({ optIn: ['zoom-optin'] }) });
    expect(await inWorld.run()).toBe(0);
    expect(inWorld.file('none-in-sv')).toMatchObject({ state: 'IGNORED', reason: 'policy: owner unknown, so not in any opt-in group (accounts[demo].groups.optIn: zoom-optin)' });
    const outWorld = await world({ meetings: [meeting('none-out', { host: ZU.noemail })], account: account({ optOut: ['zoom-optout'] }) });
    expect(await outWorld.run()).toBe(0);
    expect(outWorld.file('none-out-sv').state).toBe('HANDLED');
    expect(outWorld.entryOf('none-out-sv').userId).toBe('zk');
  });

  test('no group rule reads no memberships', async () => {
    const w = await world({ meetings: [meeting('nog', { host: ZU.alice })] });
    expect(await w.run()).toBe(0);
    expect(w.file('nog-sv').state).toBe('HANDLED');
    expect(kalturaCalls(w, 'groupuser.list')).toBe(0);
  });

  test('opt-in and opt-out together are a config error', () => {
    const base = { name: 'x', credentials: { accountId: 'a', clientId: 'b', clientSecret: 'c' }, owner: { defaultUserId: 'd' } };
    const result = configSchema.safeParse({ kaltura: { partnerId: 1, adminSecret: 's' }, accounts: [{ ...base, groups: { optIn: ['a'], optOut: ['b'] } }] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('either groups.optIn or groups.optOut, not both');
  });
});
