// What the registrant-account tests share: the portal on a real loopback port (the payment provider calls back over
// HTTP), the test payment provider, a real SMTP sink for the confirmation e-mail, and a cookie-keeping client that
// fills forms the way a browser does (GET the page, take its hidden tokens, POST).
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { deliverPending, smtpTransport } from '../../src/notify/index.ts';
import { portal } from '../../src/web/portal.ts';
import { hmacProvider } from '../../src/web/account/payments.ts';
import { startTestProvider, type TestProvider } from '../../src/web/account/test-provider.ts';
import { MailSink } from '../notify/mail-sink.ts';
import { freePort } from '../cli/harness.ts';
import { webWorld, type WebWorld } from './setup.ts';

export interface AccountWorld { w: WebWorld; app: FastifyInstance; base: string; provider: TestProvider; mail: MailSink; close(): Promise<void> }

export async function accountWorld(extra: { certificateUrl?: string; register?: (app: FastifyInstance, w: WebWorld) => Promise<void> } = {}): Promise<AccountWorld> {
  const w = await webWorld({ domains: 1 });
  const provider = await startTestProvider();
  const mail = new MailSink();
  await mail.start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = Fastify({ logger: false });
  await app.register(portal, { reg: w.t.reg, account: { payments: hmacProvider({ apiUrl: provider.url, secret: provider.secret }), publicUrl: base, certificateUrl: extra.certificateUrl ?? null } });
  await extra.register?.(app, w);
  await app.listen({ host: '127.0.0.1', port });
  return {
    w, app, base, provider, mail,
    async close() { await app.close(); await provider.close(); await mail.stop(); await w.app.close(); await w.t.close(); },
  };
}

/** Sends the queued e-mail to the sink and returns the confirmation link sent to `email`. */
export async function confirmationLink(aw: AccountWorld, email: string): Promise<string> {
  await deliverPending(aw.w.t.reg, { transport: smtpTransport(aw.mail.url) });
  const m = aw.mail.to(email).at(-1);
  if (!m) throw new Error(`no e-mail to ${email}`);
  const link = /https?:\/\/\S+\/account\/confirm\?token=[A-Za-z0-9_-]+/.exec(m.text)?.[0];
  if (!link) throw new Error(`no link in: ${m.text}`);
  return link;
}

/** A natural person's sign-up form, as a person fills it. */
export function naturalPerson(email: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'natural', givenName: 'Leyla', familyName: 'Məmmədova', patronymic: 'Əli qızı', citizenship: 'AZ', idSeries: 'AZE', idNumber: '17654321',
    idAuthority: 'ASAN xidmət', idIssuedOn: '2021-05-10', street: 'Füzuli küç. 12', city: 'Şəki', pc: 'AZ5500', cc: 'AZ', voice: '+994.502223344',
    email, password: 'Leyla-Pass-2026', lang: 'en', ...over,
  };
}

export function port(app: FastifyInstance): number {
  return (app.server.address() as AddressInfo).port;
}
