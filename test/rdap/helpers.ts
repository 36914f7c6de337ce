// RDAP test helpers: every response the tests see is checked against the project's RFC 9083 schemas
// (src/rdap/schemas, ajv) and against the transport rules of RFC 7480 (media type, CORS).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/rdap/schemas');
const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false, strictRequired: false, strictTypes: false });
// ajv-formats is CommonJS: its default export is the function under ESM interop.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
(addFormats as unknown as (a: Ajv) => void)(ajv);
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as object);
const schema = (name: string): ValidateFunction => ajv.getSchema(`https://schemas.domen.dev/rdap/${name}.json`)!;
export const SCHEMAS = ['domain', 'nameserver', 'entity', 'error', 'help', 'domain-search', 'nameserver-search', 'entity-search'];
// Compiled at once, so a broken schema fails every test file that uses them.
for (const s of SCHEMAS) assert.ok(schema(s), `schema ${s}`);

export const validated = { count: 0 };

/** Which schema a response body answers to, by its status and shape. */
export function schemaFor(status: number, body: Record<string, unknown>): string {
  if (status >= 400) return 'error';
  if ('domainSearchResults' in body) return 'domain-search';
  if ('nameserverSearchResults' in body) return 'nameserver-search';
  if ('entitySearchResults' in body) return 'entity-search';
  const cls = body.objectClassName;
  if (cls === 'domain' || cls === 'nameserver' || cls === 'entity') return cls;
  return 'help';
}

export function validateRdap(status: number, body: unknown, what = ''): void {
  assert.ok(body && typeof body === 'object' && !Array.isArray(body), `${what}: an RDAP response is a JSON object`);
  const name = schemaFor(status, body as Record<string, unknown>);
  const v = schema(name);
  assert.ok(v, `schema ${name} is loaded`);
  if (!v(body)) assert.fail(`${what}: the response does not validate against ${name}.json: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body, null, 1).slice(0, 3000)}`);
  validated.count++;
}

export interface RdapResponse { status: number; headers: Record<string, string | string[] | number | undefined>; body: Record<string, unknown>; text: string }

/** GET (or HEAD) through fastify's inject; validates the body of every answer that has one. */
export async function rdap(app: FastifyInstance, url: string, opts: { headers?: Record<string, string>; ip?: string; method?: 'GET' | 'HEAD' } = {}): Promise<RdapResponse> {
  const res = await app.inject({ method: opts.method ?? 'GET', url, headers: opts.headers ?? {}, remoteAddress: opts.ip ?? '192.0.2.10' });
  const headers = res.headers as RdapResponse['headers'];
  assert.equal(headers['access-control-allow-origin'], '*', `${url}: CORS`);
  let body: Record<string, unknown> = {};
  if (res.statusCode !== 304 && (opts.method ?? 'GET') === 'GET') {
    assert.match(String(headers['content-type']), /^application\/rdap\+json/, `${url}: media type`);
    body = JSON.parse(res.body) as Record<string, unknown>;
    validateRdap(res.statusCode, body, url);
  }
  return { status: res.statusCode, headers, body, text: res.body };
}

/**
 * The same checks as rdap(), over a real socket (fastify's inject skips the server's request handler, where the
 * fast path of cache hits runs): GET or HEAD to http://127.0.0.1:PORT, from `localAddress` (127.0.0.x).
 */
export async function rdapHttp(port: number, url: string, opts: { headers?: Record<string, string>; localAddress?: string; method?: 'GET' | 'HEAD'; agent?: http.Agent } = {}): Promise<RdapResponse> {
  const method = opts.method ?? 'GET';
  const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, method, headers: opts.headers ?? {}, localAddress: opts.localAddress ?? '127.0.0.1', agent: opts.agent ?? false, timeout: 10_000 }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => { text += c; });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
  const headers = res.headers as RdapResponse['headers'];
  assert.equal(headers['access-control-allow-origin'], '*', `${url}: CORS`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${url}: the server's headers`);
  let body: Record<string, unknown> = {};
  if (res.status !== 304) assert.match(String(headers['content-type']), /^application\/rdap\+json/, `${url}: media type`);
  if (res.status !== 304 && method === 'GET') {
    body = JSON.parse(res.text) as Record<string, unknown>;
    validateRdap(res.status, body, url);
  }
  if (method === 'HEAD') assert.equal(res.text, '', `${url}: HEAD has no body`);
  return { status: res.status, headers, body, text: res.text };
}
