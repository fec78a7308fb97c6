/**
 * What every MediaSink (src/ingest/ports.ts) must do, stated once through the port, in the spirit
 * of rclone's backend tests. A fixture supplies the implementation plus a small control surface
 * (inject a failure, move past the search-index lag, read what the remote holds); the cases never
 * reach into the implementation. Run by kaltura-sink.contract.test.ts on every Kaltura sandbox mode.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import { ENTRY_STATUS, type EntryStatus, type MediaSink, type NewEntry, type UserLookupPath } from '../../src/ingest/ports.js';
import { eventually, rejection } from '../helpers/async.js';

export interface KalturaSinkFixture {
  sink: MediaSink;
  /** The same partner, reached with a wrong admin secret. */
  sinkWithWrongSecret: MediaSink;
  /** The next `count` requests answer HTTP 503. */
  serverErrors(count: number): void;
  /** The next `count` calls of 'service.action' answer ACTION_BLOCKED. */
  actionBlocked(serviceAction: string, count: number): void;
  /** Moves the remote's clock past its search-index lag (no-op where there is none). */
  passIndexLag(): void;
  /** Exact bytes the remote holds as the entry's source. */
  storedContent(entryId: string): { size: number; sha256: string } | null;
  /** A user that exists, by id and by email. */
  knownUser: { id: string; email: string };
  close(): Promise<void>;
}

/** Answers that differ between deployments (sandbox modes) of the same port. */
export interface KalturaModeAnswers {
  /** Status media.add answers: NO_CONTENT, or READY on a profile without flavors. */
  statusAtAdd: EntryStatus;
  /** true when a new entry is invisible to lists until the index catches up. */
  indexLag: boolean;
  /** How users are searched on this deployment. */
  userLookupPath: UserLookupPath;
  /** false when conversion drops the source flavor (only a converted flavor remains). */
  sourceFlavorKept: boolean;
  /** With the virus-scan plugin: an entry name that the scan calls infected (it ends virusScan.Infected, never READY). */
  infectedName?: string;
}

const bytes = (n: number, seed = 11) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');



const IN_FLIGHT = new Set<EntryStatus>([ENTRY_STATUS.IMPORT, ENTRY_STATUS.PRECONVERT, ENTRY_STATUS.PENDING]);

export function describeKalturaSinkContract(name: string, make: () => Promise<KalturaSinkFixture>, answers: KalturaModeAnswers): void {
  describe(`MediaSink contract: ${name}`, () => {
    let fx: KalturaSinkFixture;
    let n = 0;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.close();
    });

    const entry = (ref: string): NewEntry => ({ referenceId: ref, name: `contract ${ref}`, description: 'contract', mediaType: 1, adminTags: 'zoomentry' });
    const ref = () => `zoom:contract-${++n}-${Date.now()}`;

    /** Uploads `data` in two chunks and attaches it; returns the entry once the remote stops converting. */
    async function ingest(entryId: string, data: Buffer) {
      const token = await fx.sink.createUploadToken('contract.mp4', data.length);
      const half = Math.floor(data.length / 2);
      await fx.sink.uploadChunk(token.id, data.subarray(0, half), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'contract.mp4' });
      expect((await fx.sink.getUploadToken(token.id))?.uploadedFileSize).toBe(half);
      const done = await fx.sink.uploadChunk(token.id, data.subarray(half), { resume: true, resumeAt: half, finalChunk: true, fileName: 'contract.mp4' });
      expect(done.uploadedFileSize).toBe(data.length);
      await fx.sink.addContentFromUploadToken(entryId, token.id);
      return eventually(async () => {
        const e = await fx.sink.getEntry(entryId);
        return e && !IN_FLIGHT.has(e.status) && e.status !== ENTRY_STATUS.NO_CONTENT ? e : null;
      }, 10_000);
    }

    describe('entries by referenceId', () => {
      it('an unknown referenceId or entry id is null, not an error', async () => {
        expect(await fx.sink.findEntryByReferenceId(ref())).toBeNull();
        expect(await fx.sink.getEntry('0_nosuch00')).toBeNull();
      });

      it(`creates an entry (status ${String(answers.statusAtAdd)}) that the referenceId lookup finds${answers.indexLag ? ' once the index caught up' : ' at once'}`, async () => {
        const r = ref();
        const created = await fx.sink.createEntry(entry(r));
        expect(created).toMatchObject({ referenceId: r, status: answers.statusAtAdd });
        if (answers.indexLag) {
          // The lookup a create guard relies on may lag; the contract is only that it catches up.
          expect(await fx.sink.findEntryByReferenceId(r)).toBeNull();
          fx.passIndexLag();
        }
        expect(await fx.sink.findEntryByReferenceId(r)).toMatchObject({ id: created.id, referenceId: r });
        expect((await fx.sink.findEntryByReferenceId(r))?.id).toBe(created.id);
      });

      it('with two entries of one referenceId, the lookup settles on the oldest live one every time', async () => {
        const r = ref();
        const first = await fx.sink.createEntry(entry(r));
        await fx.sink.createEntry(entry(r));
        fx.passIndexLag();
        expect((await fx.sink.findEntryByReferenceId(r))?.id).toBe(first.id);
        expect((await fx.sink.findEntryByReferenceId(r))?.id).toBe(first.id);
      });

      it('a deleted entry is gone for get and lookup; deleting it again is not an error', async () => {
        const r = ref();
        const e = await fx.sink.createEntry(entry(r));
        fx.passIndexLag();
        await fx.sink.deleteEntry(e.id);
        await fx.sink.deleteEntry(e.id);
        expect(await fx.sink.getEntry(e.id)).toBeNull();
        expect(await fx.sink.findEntryByReferenceId(r)).toBeNull();
      });
    });

    describe('upload and verification', () => {
      it(`chunks resume at uploadedFileSize; the entry ends READY holding the exact bytes; flavors report status and size${answers.sourceFlavorKept ? '' : ' (source flavor dropped)'}`, async () => {
        const data = bytes(200_003);
        const e = await fx.sink.createEntry(entry(ref()));
        const ready = await ingest(e.id, data);
        expect(ready.status).toBe(ENTRY_STATUS.READY);
        expect(fx.storedContent(e.id)).toEqual({ size: data.length, sha256: sha256(data) });
        const flavors = await fx.sink.listFlavors(e.id);
        const original = flavors.find((f) => f.isOriginal);
        if (answers.sourceFlavorKept) {
          expect(original).toMatchObject({ status: 2, sizeInBytes: data.length });
        } else {
          expect(original).toBeUndefined();
          expect(flavors.some((f) => f.status === 2)).toBe(true);
        }
      });

      if (answers.infectedName) {
        it('content the virus scan rejects ends virusScan.Infected, never READY', async () => {
          const e = await fx.sink.createEntry({ ...entry(ref()), name: answers.infectedName! });
          expect((await ingest(e.id, bytes(5000))).status).toBe(ENTRY_STATUS.INFECTED);
        });
      }

      it('an entry without content has no flavors; an unknown upload token is null', async () => {
        const e = await fx.sink.createEntry(entry(ref()));
        expect(await fx.sink.listFlavors(e.id)).toEqual([]);
        expect(await fx.sink.getUploadToken('0_nosuchtoken')).toBeNull();
      });
    });

    describe('errors arrive classified', () => {
      it('a rejected admin secret is fatal', async () => {
        const err = await rejection(fx.sinkWithWrongSecret.getEntry('0_abcdefgh'));
        expect(err).toBeInstanceOf(FatalError);
      });

      it('HTTP 5xx that does not stop is retryable', async () => {
        fx.serverErrors(50);
        const err = await rejection(fx.sink.getEntry('0_abcdefgh'));
        expect(err).toBeInstanceOf(RetryableError);
      });

      it('ACTION_BLOCKED on a create is retryable and creates nothing (never a blind retry)', async () => {
        const r = ref();
        fx.actionBlocked('media.add', 1);
        const err = await rejection(fx.sink.createEntry(entry(r)));
        expect(err).toBeInstanceOf(RetryableError);
        fx.passIndexLag();
        expect(await fx.sink.findEntryByReferenceId(r)).toBeNull();
      });

      it('a request the remote refuses for what it is (bad field, missing entry) is permanent', async () => {
        const tooShort = await rejection(fx.sink.createEntry({ ...entry(ref()), referenceId: 'x', name: 'x' }));
        expect(tooShort).toBeInstanceOf(PermanentError);
        const token = await fx.sink.createUploadToken('a.mp4', 10);
        const missing = await rejection(fx.sink.addContentFromUploadToken('0_nosuch00', token.id));
        expect(missing).toBeInstanceOf(PermanentError);
      });
    });

    describe('users', () => {
      it(`are searched by ${answers.userLookupPath}, found by id and email; an unknown one is null`, async () => {
        expect(await fx.sink.userLookupPath?.()).toBe(answers.userLookupPath);
        expect((await fx.sink.getUser(fx.knownUser.id))?.id).toBe(fx.knownUser.id);
        expect((await fx.sink.findUserByEmail(fx.knownUser.email))?.id).toBe(fx.knownUser.id);
        expect(await fx.sink.findUserByEmail('nobody-here@example.edu')).toBeNull();
        expect(await fx.sink.getUser('nobody-here')).toBeNull();
      });
    });
  });
}
