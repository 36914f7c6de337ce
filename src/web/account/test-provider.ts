// A payment provider for tests and demonstrations: a real HTTP server (loopback) speaking the HMAC protocol of
// payments.ts. The payer sees a page with the amount and two buttons; "Pay" posts the signed callback to the
// registry, waits for its answer, and sends the payer back. Nothing is charged anywhere.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, signPayload, verifySignature, type PaymentRequest, type RefundRequest } from './payments.ts';

export interface TestProvider {
  url: string; secret: string; payments: Map<string, PaymentRequest & { id: string; status: string; refundId?: string; refundReason?: string }>; close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const read = (req: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
  let s = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { s += c; if (s.length > 65_536) req.destroy(); });
  req.on('end', () => resolve(s));
  req.on('error', reject);
});

export async function startTestProvider(opts: { secret?: string; host?: string } = {}): Promise<TestProvider> {
  const secret = opts.secret ?? randomBytes(24).toString('hex');
  const payments: TestProvider['payments'] = new Map();
  const now = () => Math.floor(Date.now() / 1000);
  let url = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'POST' && path === '/payments') {
        const body = await read(req);
        if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER] as string | undefined, now())) { res.writeHead(401).end('bad signature'); return; }
        const p = JSON.parse(body) as PaymentRequest;
        const id = `tp_${randomBytes(8).toString('hex')}`;
        payments.set(id, { ...p, id, status: 'open' });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, redirectUrl: `${url}/pay/${id}` }));
        return;
      }
      if (req.method === 'POST' && path === '/refunds') {
        const body = await read(req);
        if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER] as string | undefined, now())) { res.writeHead(401).end('bad signature'); return; }
        const r = JSON.parse(body) as RefundRequest;
        const p = payments.get(r.providerRef);
        if (!p || p.reference !== r.reference || r.currency !== p.currency || r.amount > p.amount) { res.writeHead(404).end('no such payment'); return; }
        // A repeat of a refund already made answers with the same refund.
        if (p.status === 'refunded') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: p.refundId })); return; }
        if (p.status !== 'paid') { res.writeHead(409).end(`payment is ${p.status}`); return; }
        p.status = 'refunded';
        p.refundId = `tr_${randomBytes(8).toString('hex')}`;
        p.refundReason = r.reason;
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: p.refundId }));
        return;
      }
      const m = /^\/pay\/(tp_[0-9a-f]{16})$/.exec(path);
      const p = m ? payments.get(m[1]!) : undefined;
      if (!p) { res.writeHead(404).end('no such payment'); return; }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test payment provider</title></head>
<body><main><h1>Test payment provider</h1><p>${esc(p.description)}</p><p>Amount: <strong id="amount">${(p.amount / 100).toFixed(2)} ${esc(p.currency)}</strong></p>
${p.status === 'open' ? `<form method="post" action="/pay/${p.id}"><button name="decision" value="pay">Pay</button> <button name="decision" value="decline">Decline</button></form>` : `<p>${esc(p.status)}</p>`}
</main></body></html>`);
        return;
      }
      if (req.method === 'POST' && p.status === 'open') {
        const decision = new URLSearchParams(await read(req)).get('decision');
        p.status = decision === 'pay' ? 'paid' : 'failed';
        const body = JSON.stringify({ id: p.id, reference: p.reference, status: p.status, amount: p.amount, currency: p.currency });
        // The registry hears it server to server before the payer comes back.
        const cb = await fetch(p.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(secret, body, now()) }, body });
        await cb.arrayBuffer();
        res.writeHead(303, { location: p.returnUrl }).end();
        return;
      }
      res.writeHead(405).end();
    })().catch((e: unknown) => { res.writeHead(500).end(String(e)); });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '127.0.0.1', resolve));
  url = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return { url, secret, payments, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
