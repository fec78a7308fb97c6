import { describe, expect, it } from '@jest/globals';
import { createRedactor, isSecretKeyName, REDACTED } from '../../src/log/redact.js';

const r = createRedactor({ secrets: ['s3cr3t/with+chars', 'second-secret'] });

describe('redactor strings', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: [redacted]'],
    ['sent bearer abc.def and more', 'sent bearer [redacted] and more'],
    ['header Basic dXNlcjpwYXNz== ok', 'header Basic [redacted] ok'],
    ['ks djJ8MTIzfGFiYw== used', 'ks [redacted] used'],
    ['https://k.example/p/1/sp/100/playManifest/ks/djJ8abc/format/url', 'https://k.example/p/1/sp/100/playManifest/ks/[redacted]/format/url'],
    ['https://k.example/api?service=media&ks=plainV1ks&format=1', 'https://k.example/api?service=media&ks=[redacted]&format=1'],
    ['GET https://zoom.us/rec/download/x?access_token=abc&foo=bar', 'GET https://zoom.us/rec/download/x?access_token=[redacted]&foo=bar'],
    ['https://zoom.us/rec/x?download_access_token=abc#frag', 'https://zoom.us/rec/x?download_access_token=[redacted]#frag'],
    ['https://d.cloudfront.net/f?Policy=p1&Signature=s1&Key-Pair-Id=k1&v=2', 'https://d.cloudfront.net/f?Policy=[redacted]&Signature=[redacted]&Key-Pair-Id=[redacted]&v=2'],
    ['https://s3/x?X-Amz-Signature=abc&X-Amz-Date=1', 'https://s3/x?X-Amz-Signature=[redacted]&X-Amz-Date=1'],
    ['grant_type=refresh_token&refresh_token=rt1', 'grant_type=refresh_token&refresh_token=[redacted]'],
    ['token=abc', 'token=[redacted]'],
    ['{"access_token":"a\\"b","expires_in":3599}', '{"access_token":"[redacted]","expires_in":3599}'],
    ["{ clientSecret: 'abc', accessToken: \"x\", id: 'kept' }", "{ clientSecret: '[redacted]', accessToken: \"[redacted]\", id: 'kept' }"],
    ['used s3cr3t/with+chars here', 'used [redacted] here'],
    ['url-encoded s3cr3t%2Fwith%2Bchars here', 'url-encoded [redacted] here'],
    ['nothing secret: uploadTokenId=1_abc entryId=0_xyz', 'nothing secret: uploadTokenId=1_abc entryId=0_xyz'],
  ])('%s', (input, expected) => {
    expect(r.string(input)).toBe(expected);
  });
});

describe('redactor values', () => {
  it('redacts secret keys case-insensitively, at any depth, in arrays and Errors', () => {
    const err = new Error('failed with second-secret');
    (err as unknown as Record<string, unknown>).Refresh_Token = 'rt';
    err.cause = { download_access_token: 'dat', detail: 'kept' };
    const circular: Record<string, unknown> = { Password: 'pw' };
    circular.self = circular;
    const input = {
      ClientSecret: 'cs',
      KS: 'ks',
      nested: [[{ AccessToken: 'at', keep: 1 }], { authorization: 'a', list: ['Bearer zzz'] }],
      err,
      circular,
      empty: { token: '' },
      uploadTokenId: '1_tok',
    };
    expect(r.value(input)).toEqual({
      ClientSecret: REDACTED,
      KS: REDACTED,
      nested: [[{ AccessToken: REDACTED, keep: 1 }], { authorization: REDACTED, list: ['Bearer [redacted]'] }],
      err: expect.objectContaining({
        name: 'Error',
        message: 'failed with [redacted]',
        Refresh_Token: REDACTED,
        cause: { download_access_token: REDACTED, detail: 'kept' },
        stack: expect.stringContaining('Error: failed with [redacted]'),
      }),
      circular: { Password: REDACTED, self: '[circular]' },
      empty: { token: '' },
      uploadTokenId: '1_tok',
    });
    expect(input.ClientSecret).toBe('cs');
  });

  it('knows the secret key names', () => {
    for (const key of ['secret', 'clientSecret', 'adminSecret', 'password', 'access_token', 'accessToken', 'token', 'ks', 'Authorization', 'download_access_token', 'refresh_token']) {
      expect(isSecretKeyName(key)).toBe(true);
    }
    for (const key of ['uploadTokenId', 'tokenExpiry', 'entryId', 'kind']) expect(isSecretKeyName(key)).toBe(false);
  });
});
