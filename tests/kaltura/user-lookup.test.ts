/**
 * Owner lookups on servers with and without eSearch (Kaltura CE, on-prem without Elasticsearch,
 * partners without the plugin), against the Kaltura emulator over HTTP.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { demoSandbox, demoSink } from './helpers.js';

let sbx: KalturaSandbox | undefined;
afterEach(async () => {
  await sbx?.close();
  sbx = undefined;
});

const CASES: Array<[string, 'missing' | 'forbidden' | undefined, 'esearch' | 'user.list']> = [
  ['eSearch', undefined, 'esearch'],
  ['no eSearch (SERVICE_DOES_NOT_EXISTS)', 'missing', 'user.list'],
  ['no eSearch (SERVICE_FORBIDDEN)', 'forbidden', 'user.list'],
];

describe.each(CASES)('%s', (_label, noESearch, path) => {
  it('finds users by email exactly and case-insensitively, and by external id; detects the path once', async () => {
    sbx = await demoSandbox({ deployment: noESearch ? { noESearch } : {} });
    const infos: Array<Record<string, unknown> | undefined> = [];
    const sink = demoSink(sbx, { logger: { error() {}, debug() {}, warn() {}, info: (_m, meta) => infos.push(meta) } });
    expect(await sink.userLookupPath!()).toBe(path);
    expect((await sink.findUserByEmail('ALICE@Example.EDU'))?.id).toBe('alice');
    // emailLike is a substring match: "lice@example.edu" must not find alice.
    expect(await sink.findUserByEmail('lice@example.edu')).toBeNull();
    expect(await sink.findUserByEmail('nobody@example.edu')).toBeNull();
    // Blocked users are found (the policy decides what a blocked owner means).
    expect((await sink.findUserByEmail('mallory@example.edu'))?.status).toBe(0);
    if (path === 'esearch') expect((await sink.findUserByExternalId('ALICE-EXT'))?.id).toBe('alice');
    else expect((await sink.findUserByExternalId('Frank'))?.id).toBe('frank');
    // Kaltura user ids compare case-insensitively.
    expect((await sink.getUser('Bob@Example.edu'))?.id).toBe('bob@example.edu');
    expect(sbx.state.callCounts()['elasticsearch_esearch.searchUser']).toBe(path === 'esearch' ? 1 + 5 : 1);
    expect(infos).toEqual([expect.objectContaining({ path })]);
  });
});
