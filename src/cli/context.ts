// What a CLI command needs: where to write, the registry (opened lazily), the caller's directory.
// The same commands run in the CLI process, or inside a running `domen serve` when the CLI forwards to it.
import type { Registry } from '../core/registry.ts';

export interface CliIo { out(text: string): void; err(text: string): void }

export interface CliContext {
  io: CliIo;
  /** The caller's working directory: relative paths in arguments are resolved against it. */
  cwd: string;
  registry(opts?: { requireSchema?: boolean }): Promise<Registry>;
  /** True when running inside the server (a forwarded command). */
  inServer: boolean;
}

export class CliExit extends Error {
  constructor(readonly exitCode: number, message = '') { super(message); }
}

/** Thrown by CliContext.registry() when a server took the database meanwhile: the command is forwarded to it instead. */
export class CliRestart extends Error {
  constructor() { super('a server took the database: the command is forwarded to it'); }
}
