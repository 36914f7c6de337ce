// One registry and one EPP server on a loopback port for a test file, registrars with their client
// certificates, and clients that log in. Everything opened here is closed by close().
import { addRegistrarCertificate } from '../../src/core/registrars.ts';
import { issueRegistrarCertificate } from '../../src/core/pki-store.ts';
import { startEpp, type EppOptions, type EppServer } from '../../src/epp/server.ts';
import { addRegistrar, operator } from '../helpers/fixtures.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { EppClient, type ClientCredentials, type ConnectOptions } from '../helpers/epp-client.ts';

export const PASSWORD = 'Secret-Pass-1';

export interface Harness {
  t: TestRegistry;
  server: EppServer;
  port: number;
  events: { event: string; detail: Record<string, unknown> }[];
  /** Accredits a registrar and registers a fresh client certificate for it. */
  registrar(id: string): Promise<ClientCredentials>;
  /** A connected client (greeting received); logged in as `id` unless login is false. */
  client(id: string, opts?: { login?: boolean; creds?: Partial<ClientCredentials> & { caPem: string }; connect?: ConnectOptions }): Promise<EppClient>;
  close(): Promise<void>;
}

export async function harness(opts: Partial<EppOptions> = {}): Promise<Harness> {
  const t = await testRegistry();
  const events: Harness['events'] = [];
  let server: EppServer;
  try {
    server = await startEpp(t.reg, { host: '127.0.0.1', port: 0, checkResponses: true, log: (event, detail) => events.push({ event, detail }), ...opts });
  } catch (e) {
    await t.close();
    throw e;
  }
  const creds = new Map<string, ClientCredentials>();
  const clients: EppClient[] = [];
  const h: Harness = {
    t, server, port: server.port, events,
    async registrar(id) {
      await addRegistrar(t.reg, id);
      const issued = await issueRegistrarCertificate(t.reg, id, `Registrar ${id}`);
      await addRegistrarCertificate(t.reg, operator, id, issued.fingerprint, issued.client.certPem);
      const c = { certPem: issued.client.certPem, keyPem: issued.client.keyPem, caPem: issued.caPem };
      creds.set(id, c);
      return c;
    },
    async client(id, o = {}) {
      const c = o.creds ?? creds.get(id);
      if (!c) throw new Error(`no credentials for ${id}`);
      const client = await EppClient.connect(server.port, c, o.connect);
      clients.push(client);
      if (o.login !== false) {
        const r = await client.login(id, PASSWORD);
        if (r.code !== 1000) throw new Error(`login of ${id} failed: ${r.code} ${r.msg}`);
      }
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await t.close();
    },
  };
  return h;
}
