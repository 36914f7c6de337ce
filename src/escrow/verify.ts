// Checking deposit files as an escrow agent would: the detached signature over each .ryde, decryption, the
// schemas, the header counts against the objects, that the split files form one deposit, and (when the .rep
// report is given) that its totals match.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type * as openpgp from 'openpgp';
import { decryptingReader, verifyFileSignature } from './pgp.ts';
import { readDepositStream, type FileSummary } from './reader.ts';
import type { RdeSchema } from './schema.ts';

export interface VerifyKeys { agent?: openpgp.PrivateKey | null; signer?: openpgp.Key | null }

export interface VerifyResult {
  ok: boolean; id: string | null; type: string | null; watermark: string | null;
  files: (FileSummary & { file: string; signature: string | null })[];
  totals: Record<string, number>;
  /** SHA-256 of the deposit's objects in canonical form (ids, watermark, header, prefixes and split left out). */
  digest: string | null;
  problems: string[];
}

/** The plaintext of a deposit file: .ryde decrypted with the agent's key, anything else read as XML. */
export async function openDepositFile(file: string, agent?: openpgp.PrivateKey | null): Promise<Readable> {
  if (file.endsWith('.ryde')) {
    if (!agent) throw new Error(`${file} is encrypted: give the escrow agent's private key (--key FILE)`);
    return decryptingReader(file, agent);
  }
  return createReadStream(file);
}

export async function verifyDeposit(files: string[], keys: VerifyKeys, schema: RdeSchema | null): Promise<VerifyResult> {
  const problems: string[] = [];
  const out: VerifyResult['files'] = [];
  const reports = files.filter((f) => f.endsWith('.rep'));
  const data = files.filter((f) => !f.endsWith('.rep') && !f.endsWith('.sig'));
  // Split files in order S1, S2, ...
  data.sort((a, b) => splitNo(a) - splitNo(b) || a.localeCompare(b));
  const { createHash } = await import('node:crypto');
  const all = createHash('sha256');
  for (const file of data) {
    let signature: string | null = null;
    if (file.endsWith('.ryde')) {
      const sig = file.replace(/\.ryde$/, '.sig');
      if (!keys.signer) problems.push(`${file}: signature not checked (no --signer key given)`);
      else if (!existsSync(sig)) problems.push(`${file}: no detached signature ${sig}`);
      else {
        try { signature = await verifyFileSignature(file, sig, keys.signer); } catch (e) { problems.push((e as Error).message); }
      }
    }
    try {
      const s = await readDepositStream(await openDepositFile(file, keys.agent), { where: file, schema, hash: all });
      problems.push(...s.problems);
      out.push({ ...s, file, signature });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const totals: Record<string, number> = {};
  for (const f of out) for (const [u, n] of Object.entries(f.found)) totals[u] = (totals[u] ?? 0) + n;
  const first = out[0];
  for (const f of out) {
    if (first && (f.id !== first.id || f.watermark !== first.watermark || f.type !== first.type)) problems.push(`${f.file}: not a part of deposit ${first.id} (id, type or watermark differ)`);
  }
  for (const rep of reports) {
    const text = readFileSync(rep, 'utf8');
    if (schema) { try { schema.validateText(text, rep); } catch (e) { problems.push((e as Error).message); } }
    const id = /<(?:\w+:)?id>([^<]*)</.exec(text)?.[1];
    if (first && id !== first.id) problems.push(`${rep}: reports deposit ${id}, the files are ${first.id}`);
    for (const m of text.matchAll(/<(?:\w+:)?count uri="([^"]*)">(\d+)</g)) {
      if ((totals[m[1]!] ?? 0) !== Number(m[2])) problems.push(`${rep}: reports ${m[2]} objects of ${m[1]}, the files hold ${totals[m[1]!] ?? 0}`);
    }
  }
  return {
    ok: problems.length === 0 && out.length > 0, id: first?.id ?? null, type: first?.type ?? null, watermark: first?.watermark ?? null,
    files: out, totals, digest: out.length ? all.digest('hex') : null, problems,
  };
}

function splitNo(f: string): number {
  const m = /_S(\d+)_R\d+\.\w+$/.exec(f);
  return m ? Number(m[1]) : 0;
}
