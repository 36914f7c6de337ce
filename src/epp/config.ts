// EPP server settings: every limit has a default and can be set by the caller (or, in serve.ts, from the
// environment). Times in milliseconds.
import { DEFAULT_MAX_FRAME_BYTES } from './framing.ts';

export interface EppOptions {
  host: string;
  /** 0 picks a free port (tests); the returned handle tells which. */
  port: number;
  /** RFC 5734 §4 data unit limit (header included). Default 1 MiB. */
  maxFrameBytes?: number;
  /** A session with no complete command for this long is closed. Default 10 minutes. */
  idleTimeoutMs?: number;
  /** A data unit begun must be complete within this time (a client sending a byte a second). Default 30 s. */
  frameTimeoutMs?: number;
  /** The TLS handshake must finish within this time. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Concurrent sessions of one registrar on this node; one more gets 2502 and is closed. Default 8. */
  maxSessionsPerRegistrar?: number;
  /** TCP connections on this node. Default 1000. */
  maxConnections?: number;
  /** Sustained commands per second per session (token bucket); beyond the burst, 2502 and close. Default 200. */
  commandsPerSecond?: number;
  /** Token bucket size per session. Default 400. */
  commandBurst?: number;
  /**
   * Sustained commands per second of one registrar, all its sessions on this node together; beyond the
   * burst, the session that sent the command gets 2502 and is closed. Default 1000.
   */
  registrarCommandsPerSecond?: number;
  /** Token bucket size per registrar. Default 2000. */
  registrarCommandBurst?: number;
  /** Failed logins before the connection is closed (RFC 5730 §2.9.1.1 "N"). Default 3. */
  maxFailedLogins?: number;
  /** Folder of all.xsd and the official schemas. Default DOMEN_EPP_SCHEMA_DIR or ../shared/schemas/epp. */
  schemaDir?: string;
  /** The server's certificate; default DOMEN_EPP_CERT/DOMEN_EPP_KEY files, else one issued by the registry CA. */
  tls?: { certPem: string; keyPem: string };
  /** Greeting svID. Default 'domen .<tld> EPP server'. */
  serverId?: string;
  /** svTRID prefix. Default 'DMN'. */
  tridPrefix?: string;
  /** The clID shown as crID/upID when the registry itself (NA staff, the CLI, timers) made the change. */
  registryClId?: string;
  /** Validate every response against the schemas before sending (tests, development). Default false. */
  checkResponses?: boolean;
  /** Where operational events go (connections refused, unexpected errors). Default: nowhere. */
  log?: (event: string, detail: Record<string, unknown>) => void;
}

export type EppConfig = Required<Omit<EppOptions, 'tls' | 'schemaDir' | 'serverId'>> & Pick<EppOptions, 'tls' | 'schemaDir'> & { serverId: string };

export function resolveConfig(opts: EppOptions, tld: string): EppConfig {
  return {
    host: opts.host,
    port: opts.port,
    maxFrameBytes: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    idleTimeoutMs: opts.idleTimeoutMs ?? 600_000,
    frameTimeoutMs: opts.frameTimeoutMs ?? 30_000,
    handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 10_000,
    maxSessionsPerRegistrar: opts.maxSessionsPerRegistrar ?? 8,
    maxConnections: opts.maxConnections ?? 1000,
    commandsPerSecond: opts.commandsPerSecond ?? 200,
    commandBurst: opts.commandBurst ?? 400,
    registrarCommandsPerSecond: opts.registrarCommandsPerSecond ?? 1000,
    registrarCommandBurst: opts.registrarCommandBurst ?? 2000,
    maxFailedLogins: opts.maxFailedLogins ?? 3,
    schemaDir: opts.schemaDir,
    tls: opts.tls,
    serverId: opts.serverId ?? `domen .${tld} EPP server`,
    tridPrefix: opts.tridPrefix ?? 'DMN',
    registryClId: opts.registryClId ?? 'registry',
    checkResponses: opts.checkResponses ?? false,
    log: opts.log ?? (() => {}),
  };
}
