/**
 * Turns an HTTP request into one parameter tree, the way infraRequestUtils
 * does: body (JSON, form, or multipart with or without a `json` part), then
 * files, then URL parameters, later ones winning.
 */
import type { IncomingMessage } from 'node:http';
import { isPlainObject, mergeParams, setNested, type ParamTree } from './params.js';
import { parseMultipart } from './multipart.js';

const MAX_TEXT_BODY = 64 * 1024 * 1024;

export interface ParsedRequest {
  /** From the path: /api_v3/service/{service}/action/{action}; may also come from params. */
  service?: string;
  action?: string;
  params: ParamTree;
}

async function readText(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_TEXT_BODY) throw new Error('request body too large');
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

function formToTree(pairs: Iterable<[string, string]>): ParamTree {
  const tree: ParamTree = {};
  for (const [k, v] of pairs) setNested(tree, k, v);
  return tree;
}

export async function parseRequest(req: IncomingMessage, tmpDir: string): Promise<ParsedRequest> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let service: string | undefined;
  let action: string | undefined;
  const pathParams: Array<[string, string]> = [];
  const base = segs.indexOf('api_v3');
  for (let i = base + 1; i < segs.length; i += 2) {
    const key = segs[i];
    const val = segs[i + 1];
    if (key === 'index.php') {
      i -= 1;
      continue;
    }
    if (key === 'service') service = val;
    else if (key === 'action') action = val;
    else if (val !== undefined) pathParams.push([key, val]);
  }

  let body: ParamTree = {};
  const files: ParamTree = {};
  const ctype = req.headers['content-type'] ?? '';
  if (req.method === 'POST' || req.method === 'PUT') {
    const lower = ctype.toLowerCase();
    if (lower.startsWith('multipart/form-data')) {
      const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(ctype);
      if (!m) throw new Error('multipart without boundary');
      const mp = await parseMultipart(req, (m[1] ?? m[2]).trim(), tmpDir);
      const jsonField = mp.fields.find(([n]) => n === 'json');
      if (jsonField) {
        const parsed = JSON.parse(jsonField[1]) as unknown;
        if (isPlainObject(parsed)) body = parsed;
      } else {
        body = formToTree(mp.fields);
      }
      for (const [name, file] of mp.files) setNested(files, name, file);
    } else {
      const text = await readText(req);
      // The server compares the content type verbatim: "application/json; charset=utf-8" is not JSON to it.
      if (lower === 'application/json') {
        const trimmed = text.trim();
        if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
          const parsed = JSON.parse(trimmed) as unknown;
          if (isPlainObject(parsed)) body = parsed;
        }
      } else if (text.length > 0) {
        body = formToTree(new URLSearchParams(text));
      }
    }
  } else {
    req.resume();
  }
  const urlParams = formToTree([...url.searchParams, ...pathParams]);
  const params = mergeParams(mergeParams(body, files), urlParams);
  return { service, action, params };
}
