// From one data unit to one response (RFC 5730 §2): parse and validate, apply the session rules (2002
// before login, 2307/2103 for services and extensions), run the command's flow, and turn whatever it
// throws into a result code. Nothing here knows a command's details; the flows do.
import type { Registry } from '../core/registry.ts';
import type { EppConfig } from './config.ts';
import type { XNode } from './dom.ts';
import { EppError, toEppError } from './errors.ts';
import type { Flow, FlowContext, FlowResult } from './flow.ts';
import { FLOWS, EXTENSIONS_OF } from './flows/index.ts';
import { login } from './flows/session/login.ts';
import { EXTENSION_URIS, OBJECT_URIS, prefixOf } from './namespaces.ts';
import { greeting, response } from './responses.ts';
import type { EppSchema } from './schema.ts';
import { RegistrarRateLimits, type Session, type SessionCounter } from './session.ts';
import { TridGenerator } from './trid.ts';
import { clTRIDOfError, parseEpp } from './xml.ts';

export interface Outcome { xml: string; close: boolean; code: number }

/**
 * RFC 5730 §3: 2300 answers a <transfer> of an object already pending transfer; any other command that the
 * pendingTransfer status blocks (update, renew, delete) is 2304, "object status prohibits operation".
 */
function pendingTransferCode(err: EppError, command: XNode): EppError {
  if (err.code !== 2300 || command.children[0]?.name === 'transfer') return err;
  return new EppError(2304, err.message, err.values, err.close, err.extension);
}

export class Dispatcher {
  readonly trids: TridGenerator;
  /** Commands per registrar across its sessions on this node. */
  readonly registrarRates: RegistrarRateLimits;

  constructor(
    readonly reg: Registry,
    readonly config: EppConfig,
    readonly schema: EppSchema,
    readonly sessions: SessionCounter,
  ) {
    this.trids = new TridGenerator(config.tridPrefix);
    this.registrarRates = new RegistrarRateLimits(config.registrarCommandsPerSecond, config.registrarCommandBurst);
  }

  greeting(): string {
    return greeting({ svID: this.config.serverId, svDate: this.reg.clock.now(), extensions: EXTENSION_URIS });
  }

  /** An answer that is not to a parsed command (framing problems, rate limit): no clTRID to echo. */
  error(code: number, msg: string, close: boolean): Outcome {
    return this.#finish({ results: [{ code, msg }], svTRID: this.trids.next() }, close, code);
  }

  async handle(session: Session, frame: Buffer): Promise<Outcome> {
    const svTRID = this.trids.next();
    let root: XNode;
    let clTRID: string | null;
    try {
      ({ root, clTRID } = parseEpp(frame, this.schema));
    } catch (e) {
      const err = toEppError(e);
      if (!err) throw e;
      return this.#answer(err, clTRIDOfError(e), svTRID);
    }
    const body = root.children[0]!;
    if (body.is('epp', 'hello')) return { xml: this.greeting(), close: false, code: 1000 };
    if (!body.is('epp', 'command')) return this.#answer(new EppError(2001, 'a client sends <hello> or <command>'), clTRID, svTRID);
    try {
      const result = await this.#command(session, body, clTRID, svTRID);
      const code = result.code ?? 1000;
      return this.#finish({
        results: [{ code, msg: result.msg }], msgQ: result.msgQ, resData: result.resData, extension: result.extension,
        clTRID, svTRID: result.svTRID ?? svTRID,
      }, result.close ?? code === 1500, code);
    } catch (e) {
      const err = toEppError(e);
      if (err) return this.#answer(pendingTransferCode(err, body), clTRID, svTRID);
      this.config.log('epp.command.failed', { error: e instanceof Error ? e.stack : String(e), registrar: session.registrarId, clTRID, svTRID });
      return this.#answer(new EppError(2400, 'Command failed: an internal error; the registry has been notified'), clTRID, svTRID);
    }
  }

  async #command(session: Session, command: XNode, clTRID: string | null, svTRID: string): Promise<FlowResult> {
    const verb = command.children[0]!;
    const extensions = command.child('epp:extension')?.children ?? [];
    if (verb.name === 'login') {
      for (const e of extensions) {
        if (!e.is('loginSec', 'loginSec')) throw new EppError(2103, `extension ${e.ns} is not offered with <login>`);
      }
      return login({ reg: this.reg, config: this.config, session, sessions: this.sessions, command: verb, clTRID, loginSec: extensions[0] });
    }
    if (!session.loggedIn) throw new EppError(2002, `log in before <${verb.name}> (RFC 5730 §2.9.1.1)`);
    if (verb.name === 'logout') return { code: 1500, close: true };

    const registrarId = session.registrarId!;
    const base = {
      reg: this.reg, config: this.config, session, registrarId, extensions, clTRID, svTRID,
      actor: { type: 'registrar' as const, registrarId, clientTrid: clTRID, serverTrid: svTRID, source: 'epp' },
    };
    if (verb.name === 'poll') return this.#run(FLOWS['poll']!, { ...base, command: verb, op: verb.attrs.op });

    const object = verb.children[0]!;
    const prefix = prefixOf(object.ns) ?? object.ns;
    if (!OBJECT_URIS.includes(object.ns)) throw new EppError(2307, `'${object.ns}' is not an object service`);
    if (!session.objURIs.has(object.ns)) throw new EppError(2002, `object service ${object.ns} was not announced at login`);
    const key = `${prefix}:${verb.name}`;
    const allowed = EXTENSIONS_OF[key] ?? [];
    for (const e of extensions) {
      if (!EXTENSION_URIS.includes(e.ns)) throw new EppError(2103, `extension ${e.ns} is not implemented`);
      if (!session.extURIs.has(e.ns)) throw new EppError(2002, `extension ${e.ns} was not announced at login`);
      if (!allowed.includes(`${prefixOf(e.ns)}:${e.name}`)) throw new EppError(2103, `<${prefixOf(e.ns)}:${e.name}> does not extend ${verb.name} of ${prefix} objects`);
    }
    const flow = FLOWS[key];
    if (!flow) throw new EppError(2101, `${verb.name} of ${prefix} objects is not implemented`);
    return this.#run(flow, { ...base, command: object, op: verb.attrs.op });
  }

  #run(flow: Flow, ctx: FlowContext): Promise<FlowResult> {
    return flow(ctx);
  }

  #answer(err: EppError, clTRID: string | null, svTRID: string): Outcome {
    return this.#finish({ results: [{ code: err.code, msg: err.message, values: err.values }], extension: err.extension, clTRID, svTRID }, err.close, err.code);
  }

  #finish(spec: Parameters<typeof response>[0], close: boolean, code: number): Outcome {
    const xml = response(spec);
    if (this.config.checkResponses) {
      try {
        parseEpp(Buffer.from(xml), this.schema);
      } catch (e) {
        this.config.log('epp.response.invalid', { error: e instanceof Error ? e.message : String(e), xml });
        return { xml: response({ results: [{ code: 2400, msg: 'Command failed: the response did not validate' }], clTRID: spec.clTRID, svTRID: spec.svTRID }), close, code: 2400 };
      }
    }
    return { xml, close, code };
  }
}

