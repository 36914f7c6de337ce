// The EPP server: TLS 1.2/1.3 with a mandatory client certificate from the registry CA (RFC 5734 §8,
// R9.3.8), which login then matches against the certificates registered for the clID.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { issueEppServerCertificate, registryCa } from '../core/pki-store.ts';
import type { Registry } from '../core/registry.ts';
import { resolveConfig, type EppOptions } from './config.ts';
import { Connection } from './connection.ts';
import { Dispatcher } from './dispatch.ts';
import { eppSchema } from './schema.ts';
import { SessionCounter } from './session.ts';

export type { EppOptions } from './config.ts';

export interface EppServer {
  port: number;
  /** Stops accepting, ends every session, resolves when the listener is closed. */
  close(): Promise<void>;
}

/** The server certificate: given, from DOMEN_EPP_CERT/DOMEN_EPP_KEY, or issued by the registry CA for loopback. */
async function serverCertificate(reg: Registry, given: EppOptions['tls']): Promise<{ certPem: string; keyPem: string }> {
  if (given) return given;
  const certFile = process.env.DOMEN_EPP_CERT;
  const keyFile = process.env.DOMEN_EPP_KEY;
  if (certFile && keyFile) return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  if (certFile || keyFile) throw new Error('set both DOMEN_EPP_CERT and DOMEN_EPP_KEY, or neither');
  return issueEppServerCertificate(reg, ['localhost'], ['127.0.0.1', '::1']);
}

export async function startEpp(reg: Registry, opts: EppOptions): Promise<EppServer> {
  const config = resolveConfig(opts, reg.profile.tld);
  const schema = eppSchema(config.schemaDir);
  const ca = await registryCa(reg);
  const cert = await serverCertificate(reg, config.tls);
  const dispatcher = new Dispatcher(reg, config, schema, new SessionCounter());

  const server = tls.createServer({
    key: cert.keyPem,
    cert: cert.certPem,
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    handshakeTimeout: config.handshakeTimeoutMs,
  });
  server.maxConnections = config.maxConnections;
  const connections = new Set<Connection>();
  // Sockets still in the TLS handshake are not Connections yet; close() ends them too.
  const handshaking = new Set<Socket>();
  server.on('connection', (socket) => {
    handshaking.add(socket);
    socket.once('close', () => handshaking.delete(socket));
  });
  server.on('secureConnection', (socket) => {
    const c = new Connection(socket, dispatcher, config, dispatcher.sessions);
    connections.add(c);
    socket.once('close', () => connections.delete(c));
  });
  server.on('tlsClientError', (err, socket) => {
    config.log('epp.tls.refused', { error: err.message, remote: socket.remoteAddress });
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const c of connections) c.destroy();
      for (const s of handshaking) s.destroy();
    }),
  };
}
