// Scheduled deposits (ICANN practice: a FULL deposit once a week, a DIFF every other day) and their upload to
// the escrow agent, run by the worker timer 'escrow-deposit' (src/worker/timers.ts). Off unless
// DOMEN_ESCROW_DIR is set. Configuration (environment):
//   DOMEN_ESCROW_DIR            where deposits are written (one per UTC day)
//   DOMEN_ESCROW_FULL_WEEKDAY   0-6 (Sunday = 0; default 0): the day of the FULL deposit; 'daily' for a FULL every day
//   DOMEN_ESCROW_UPLOAD_URL     HTTPS base URL: each file is sent with PUT to URL/FILENAME (SFTP is not available here)
//   DOMEN_ESCROW_UPLOAD_TOKEN   sent as a bearer token with each PUT
//   DOMEN_ESCROW_DROP_DIR       or: a directory the agent collects from (files copied, then renamed into place)
// plus the keys of `domen escrow deposit` (DOMEN_ESCROW_AGENT_KEY, DOMEN_ESCROW_SIGNING_KEY).
//
// Exactly once per day on any number of workers: the day is claimed in lifecycle_notices (kind 'escrow-deposit')
// before the deposit is made; a deposit that fails gives the claim back so that the next pass tries again.
// Uploads are claimed per deposit ('escrow-upload') only after every file went through, so a failed upload
// is retried on the next pass; the agent receives the same file names again (a PUT replaces).
import { copyFile, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../core/actor.ts';
import { firstNotice } from '../core/lifecycle/claims.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import { makeDeposit, type DepositType } from './deposit.ts';
import { loadEscrowKeys } from './pgp.ts';

export interface ScheduleConfig {
  dir: string;
  fullWeekday: number | 'daily';
  uploadUrl: string | null;
  uploadToken: string | null;
  dropDir: string | null;
  /** Attempts per file and pass, with backoff (1 s, 2 s, 4 s ...). */
  attempts: number;
  backoffMs: number;
  /** Key files (default DOMEN_ESCROW_AGENT_KEY, DOMEN_ESCROW_SIGNING_KEY). */
  agentKey?: string | undefined;
  signingKey?: string | undefined;
}

export function scheduleConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ScheduleConfig | null {
  if (!env.DOMEN_ESCROW_DIR) return null;
  const wd = env.DOMEN_ESCROW_FULL_WEEKDAY ?? '0';
  const fullWeekday = wd === 'daily' ? 'daily' : Number(wd);
  if (fullWeekday !== 'daily' && !(Number.isInteger(fullWeekday) && fullWeekday >= 0 && fullWeekday <= 6)) {
    throw new Error(`DOMEN_ESCROW_FULL_WEEKDAY must be 0-6 (Sunday = 0) or 'daily', not ${JSON.stringify(wd)}`);
  }
  const uploadUrl = env.DOMEN_ESCROW_UPLOAD_URL || null;
  if (uploadUrl && !/^https?:\/\//.test(uploadUrl)) throw new Error('DOMEN_ESCROW_UPLOAD_URL must be an https:// URL');
  return { dir: env.DOMEN_ESCROW_DIR, fullWeekday, uploadUrl, uploadToken: env.DOMEN_ESCROW_UPLOAD_TOKEN || null, dropDir: env.DOMEN_ESCROW_DROP_DIR || null, attempts: 3, backoffMs: 1000 };
}

interface DepositRecord { id: string; files: { ryde: string | null; sig: string | null; xml: string | null }[]; type: string; watermark: Date; resend: number }

/** The files the agent gets for a deposit: .ryde and .sig of each split file, and the report. */
function agentFiles(d: DepositRecord, dir: string, tld: string): string[] {
  const out: string[] = [];
  for (const f of d.files) for (const x of [f.ryde, f.sig]) if (x) out.push(path.join(dir, x));
  out.push(path.join(dir, `${tld}_${d.watermark.toISOString().slice(0, 10)}_${d.type === 'FULL' ? 'full' : 'diff'}_R${d.resend}.rep`));
  return out;
}

async function withRetries(cfg: ScheduleConfig, what: string, f: () => Promise<void>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < cfg.attempts; i++) {
    try { await f(); return; } catch (e) { last = e; }
    if (i + 1 < cfg.attempts) await new Promise((r) => setTimeout(r, cfg.backoffMs * 2 ** i));
  }
  throw new Error(`${what}: ${(last as Error).message} (after ${cfg.attempts} attempts)`);
}

async function uploadFile(cfg: ScheduleConfig, file: string): Promise<void> {
  const name = path.basename(file);
  if (cfg.dropDir) {
    // Written under a temporary name and renamed: the agent never collects half a file.
    const tmp = path.join(cfg.dropDir, `.${name}.part`);
    await withRetries(cfg, `copy ${name} to ${cfg.dropDir}`, async () => { await copyFile(file, tmp); await rename(tmp, path.join(cfg.dropDir!, name)); });
  }
  if (cfg.uploadUrl) {
    const url = `${cfg.uploadUrl.replace(/\/$/, '')}/${encodeURIComponent(name)}`;
    await withRetries(cfg, `PUT ${url}`, async () => {
      const body = await readFile(file);
      const res = await fetch(url, {
        method: 'PUT', body,
        headers: { 'content-type': 'application/octet-stream', ...(cfg.uploadToken ? { authorization: `Bearer ${cfg.uploadToken}` } : {}) },
      });
      if (!res.ok) throw new Error(`the agent answered ${res.status} ${res.statusText}`);
    });
  }
}

/** The kind of today's deposit: FULL on the configured weekday or when there is none yet, else DIFF. */
async function kindFor(reg: Registry, cfg: ScheduleConfig, now: Date): Promise<DepositType> {
  if (cfg.fullWeekday === 'daily' || now.getUTCDay() === cfg.fullWeekday) return 'FULL';
  const any = await reg.db.selectFrom('escrow_deposits').select('id').limit(1).executeTakeFirst();
  return any ? 'DIFF' : 'FULL';
}

export interface ScheduledResult { deposit: string | null; uploaded: string[] }

/** One pass of the timer: today's deposit if not made yet, then the uploads still owed. */
export async function runScheduledEscrow(reg: Registry, actor: Actor, cfg: ScheduleConfig | null = scheduleConfigFromEnv()): Promise<ScheduledResult> {
  const result: ScheduledResult = { deposit: null, uploaded: [] };
  if (!cfg) return result;
  const now = reg.clock.now();
  const day = now.toISOString().slice(0, 10);
  const claimed = await runOperation(reg, actor, 'escrow.depositDay', (ctx) => firstNotice(ctx, 'escrow-deposit', 'registry', day));
  if (claimed) {
    try {
      const keys = await loadEscrowKeys({ agentKey: cfg.agentKey, signingKey: cfg.signingKey });
      const type = await kindFor(reg, cfg, now);
      result.deposit = (await makeDeposit(reg, actor, { type, outDir: cfg.dir, keys })).id;
    } catch (e) {
      await reg.db.deleteFrom('lifecycle_notices').where('kind', '=', 'escrow-deposit').where('object_id', '=', 'registry').where('occasion', '=', day).execute();
      throw e;
    }
  }
  if (!cfg.uploadUrl && !cfg.dropDir) return result;
  // Deposits of the last week not yet handed over (the agent may have been down).
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const owed = await reg.db.selectFrom('escrow_deposits').select(['id', 'files', 'type', 'watermark', 'resend']).where('watermark', '>=', since)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('lifecycle_notices').select('kind').where('kind', '=', 'escrow-upload')
      .whereRef('object_id', '=', 'escrow_deposits.id')))).orderBy('watermark').execute();
  for (const d of owed) {
    const rec = { ...d, files: d.files as DepositRecord['files'] };
    for (const f of agentFiles(rec, cfg.dir, reg.profile.tld)) await uploadFile(cfg, f);
    await runOperation(reg, actor, 'escrow.uploaded', async (ctx) => {
      if (await firstNotice(ctx, 'escrow-upload', d.id, 'done')) {
        await ctx.record({ objectType: 'escrow', objectId: d.id, before: null, after: { uploadedTo: cfg.uploadUrl ?? cfg.dropDir }, topic: 'escrow.uploaded', history: false });
      }
    });
    result.uploaded.push(d.id);
  }
  return result;
}
