import { describe, expect, it, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { closeLogger, createLogger, type LogFormat, type Logger } from '../../src/log/logger.js';
import { PermanentError } from '../../src/errors.js';

// Each secret is a distinct marker so a leak names its path.
const S = {
  admin: 'ADMINSECRETvalue0001',
  client: 'CLIENTSECRETvalue002',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.ACCESSTOKENbody.sig003',
  refresh: 'REFRESHTOKENvalue004',
  password: 'PASSWORDvalue005',
  ks: 'djJ8MTIzNDU2fEtTVkFMVUUwMDY=',
  bearer: 'BEARERtokenVALUE007',
  basic: 'QkFTSUNjcmVkZW50aWFsczAwOA==',
  urlToken: 'URLTOKENvalue009',
  signature: 'SIGNATUREvalue010',
  policy: 'POLICYvalue011',
  keyPair: 'KEYPAIRvalue012',
  downloadToken: 'DOWNLOADTOKEN013',
  authorization: 'AUTHHEADERvalue014',
  nested: 'NESTEDARRAYtoken015',
  childToken: 'CHILDTOKENvalue016',
  causeKs: 'djJ8Q0FVU0VLUzAxNw==',
  errProp: 'ERRPROPtoken018',
  jsonToken: 'JSONBODYtoken019',
  pathKs: 'djJ8UEFUSEtTMDIw',
};
const SECRETS = Object.values(S);
const PUBLIC = ['uploaded recording', '0_entry42', 'main', 'upload failed', 'kaltura said no', 'meeting-uuid-77', 'child says hi', 'x=1', 'interpolated main'];

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Logs secrets through every path a caller has. */
function logEverything(logger: Logger): Record<string, unknown> {
  const meta = {
    entryId: '0_entry42',
    account: 'main',
    clientSecret: S.client,
    credentials: { adminSecret: S.admin, Password: S.password },
    access_token: S.accessToken,
    refresh_token: S.refresh,
    headers: { Authorization: `Bearer ${S.bearer}`, 'content-type': 'video/mp4' },
    items: [{ token: S.nested, id: 'meeting-uuid-77' }, ['deep', { nothing: `Basic ${S.basic}` }]],
    url: `https://zoom.us/rec/download/abc?access_token=${S.urlToken}&x=1`,
    cdn: `https://cdn.example/f.mp4?Policy=${S.policy}&Signature=${S.signature}&Key-Pair-Id=${S.keyPair}`,
    download: `https://zoom.us/rec/play?download_access_token=${S.downloadToken}`,
  };
  logger.info('uploaded recording', meta);
  logger.warn(`raw header Authorization: ${S.authorization}`);
  logger.info(`kaltura url https://k.example/p/1/ks/${S.pathKs}/flavor`);
  logger.info(`response {"access_token":"${S.jsonToken}","expires_in":3599}`);
  logger.info(`admin secret used in text: ${S.admin} and ks ${S.ks}`);

  const child = logger.child({ account: 'main', token: S.childToken });
  child.info('child says hi', { ks: S.ks });
  child.child({ requestId: 'r1' }).warn('grandchild', { secret: S.admin });

  const cause = new Error(`kaltura said no for ks=${S.causeKs}`);
  const err = new PermanentError(`upload failed with Bearer ${S.bearer} and ${S.client}`, { cause, code: 'X' });
  (err as unknown as Record<string, unknown>).accessToken = S.errProp;
  logger.error(err);
  logger.error('upload failed', err);
  logger.error('upload failed', { err, entryId: '0_entry42' });
  child.error(err);
  logger.log({ level: 'error', message: err as unknown as string });

  logger.info('interpolated %s with %s', 'main', `Bearer ${S.bearer}`);
  logger.info('secret %s in %s', S.admin, 'text');
  logger.info('object %j', { token: S.nested, ok: 'interpolated main' });
  logger.info('mixed %s', 'main', { password: S.password, entryId: '0_entry42' });
  logger.debug('not shown at info', { marker: 'DEBUGMARKER' });
  return meta;
}

const dir = mkdtempSync(join(tmpdir(), 'zk-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function assertClean(output: string): void {
  for (const secret of SECRETS) expect({ secret, leaked: output.includes(secret) }).toEqual({ secret, leaked: false });
  for (const fine of PUBLIC) expect({ fine, present: output.includes(fine) }).toEqual({ fine, present: true });
  expect(output).not.toContain('DEBUGMARKER');
}

describe('createLogger redaction', () => {
  const variants: { name: string; format: LogFormat; isTTY?: boolean; json: boolean }[] = [
    { name: 'json', format: 'json', json: true },
    { name: 'text', format: 'text', json: false },
    { name: 'auto on a TTY (text)', format: 'auto', isTTY: true, json: false },
    { name: 'auto off a TTY (json)', format: 'auto', isTTY: false, json: true },
  ];

  it.each(variants)('never writes a secret: $name, with a file transport', async ({ name, format, isTTY, json }) => {
    const out = capture();
    const file = join(dir, `${name.replace(/\W+/g, '-')}.log`);
    const logger = createLogger({ level: 'info', format, isTTY, stream: out.stream, file, secrets: [S.admin, S.client] });
    const meta = logEverything(logger);
    await closeLogger(logger);

    const console = out.text();
    const fileText = readFileSync(file, 'utf8');
    assertClean(console);
    assertClean(fileText);
    // 16 entries; text entries for errors continue with their stack lines.
    expect(console.split('\n').filter((l) => /^(\{"|\d{4}-\d\d-\d\dT)/.test(l))).toHaveLength(16);

    // The file is always JSON lines; the console is JSON only when asked (or not a TTY).
    const fileLines = fileText.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fileLines).toHaveLength(16);
    if (json) expect(() => console.trim().split('\n').map((l) => JSON.parse(l) as unknown)).not.toThrow();
    else expect(console).toMatch(/^\S+Z info  uploaded recording entryId=0_entry42 account=main clientSecret=\[redacted\]/m);

    // Structure survives redaction: non-secret siblings, error fields and causes.
    const first = fileLines[0];
    expect(first).toMatchObject({ level: 'info', message: 'uploaded recording', entryId: '0_entry42', clientSecret: '[redacted]' });
    expect(first.headers).toEqual({ Authorization: '[redacted]', 'content-type': 'video/mp4' });
    expect(first.items).toEqual([{ token: '[redacted]', id: 'meeting-uuid-77' }, ['deep', { nothing: 'Basic [redacted]' }]]);
    expect(first.url).toBe('https://zoom.us/rec/download/abc?access_token=[redacted]&x=1');
    const errLine = fileLines.find((l) => l.name === 'PermanentError' && l.level === 'error');
    expect(errLine).toMatchObject({ kind: 'permanent', code: 'X', accessToken: '[redacted]', cause: { message: 'kaltura said no for ks=[redacted]' } });
    expect(String(errLine?.message)).toMatch(/^upload failed with Bearer \[redacted\] and \[redacted\]$/);
    expect(String(errLine?.stack)).toContain('upload failed with Bearer [redacted]');

    // The caller's objects are not modified.
    expect(meta.clientSecret).toBe(S.client);
    expect((meta.items as { token: string }[])[0].token).toBe(S.nested);
  });

  it('defaults to stderr-like streams being text only when they are TTYs', async () => {
    const out = capture();
    (out.stream as unknown as { isTTY: boolean }).isTTY = true;
    const logger = createLogger({ level: 'debug', format: 'auto', stream: out.stream });
    logger.debug('hello', { n: 1 });
    await closeLogger(logger);
    expect(out.text()).toMatch(/^\S+Z debug hello n=1\n$/);
  });
});
