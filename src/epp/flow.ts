// What a flow (one EPP command, in the style of Nomulus's flows) receives and returns. A flow reads its
// command element, calls one core operation, and builds its response data; errors are thrown
// (RegistryError from the core, EppError for protocol matters) and mapped in one place (dispatch.ts).
import type { Actor } from '../core/actor.ts';
import type { Registry } from '../core/registry.ts';
import type { XNode } from './dom.ts';
import type { EppConfig } from './config.ts';
import type { MsgQ, Xml } from './responses.ts';
import type { Session } from './session.ts';

export interface FlowContext {
  reg: Registry;
  config: EppConfig;
  session: Session;
  /** The logged-in registrar acting, with the clTRID for the audit log. */
  actor: Actor & { type: 'registrar' };
  registrarId: string;
  /** The object element: <domain:create>, <host:info>, ...; for poll and login, the verb element itself. */
  command: XNode;
  /** The transfer op (RFC 5730 §2.9.3.4), for transfer commands. */
  op: string | undefined;
  /** The children of <extension> this command carries. */
  extensions: readonly XNode[];
  clTRID: string | null;
  svTRID: string;
}

export interface FlowResult {
  code?: 1000 | 1001 | 1300 | 1301 | 1500;
  msg?: string;
  resData?: Xml;
  extension?: Xml;
  msgQ?: MsgQ;
  /** Replaces the svTRID (a pending create names its application, trid.ts). */
  svTRID?: string;
  close?: boolean;
}

export type Flow = (ctx: FlowContext) => Promise<FlowResult>;

/** The extension element of one namespace, if the command carries it. */
export function extension(ctx: FlowContext, ns: string, name: string): XNode | undefined {
  return ctx.extensions.find((e) => e.ns === ns && e.name === name);
}

/** Whether the client announced an extension at login: responses carry only those (RFC 5730 §2.9.1.1). */
export function wants(ctx: FlowContext, ns: string): boolean {
  return ctx.session.extURIs.has(ns);
}
