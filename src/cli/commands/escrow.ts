// `domen escrow deposit|verify|restore`: data escrow deposits (RFC 8909 / RFC 9022), see docs/escrow.md.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import type { DepositType } from '../../escrow/deposit.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json } from '../output.ts';

const env = process.env;

/** The escrow modules bring openpgp and the compiled RDE schemas (seconds to load): only for escrow commands. */
async function escrowModules() {
  const [deposit, pgp, restore, schema, verify] = await Promise.all([
    import('../../escrow/deposit.ts'), import('../../escrow/pgp.ts'), import('../../escrow/restore.ts'),
    import('../../escrow/schema.ts'), import('../../escrow/verify.ts'),
  ]);
  return { ...deposit, ...pgp, ...restore, ...schema, ...verify };
}

export function escrowCommands(program: Command, ctx: CliContext): void {
  const escrow = program.command('escrow').description('data escrow deposits (RFC 8909 with the RFC 9022 objects): make, verify, restore');

  escrow.command('deposit')
    .option('--full', 'a full deposit (the default)')
    .option('--diff', 'a differential deposit: the changes since the previous deposit')
    .requiredOption('--out <dir>', 'the directory to write the deposit files to')
    .option('--plain', 'also leave the unencrypted XML in DIR, for inspection')
    .option('--agent-key <file>', "the escrow agent's OpenPGP public key (default DOMEN_ESCROW_AGENT_KEY)")
    .option('--signing-key <file>', "the registry's OpenPGP private key (default DOMEN_ESCROW_SIGNING_KEY; passphrase in DOMEN_ESCROW_SIGNING_PASSPHRASE)")
    .option('--split <bytes>', 'start a new file after this many bytes of XML (default DOMEN_ESCROW_SPLIT_BYTES or 1 GiB)')
    .option('--json', 'print JSON')
    .description('write a deposit: .ryde (compressed, encrypted to the agent), .sig (signed by the registry), .rep (report)')
    .action(async (o: { full?: boolean; diff?: boolean; out: string; plain?: boolean; agentKey?: string; signingKey?: string; split?: string; json?: boolean }) => {
      const { loadEscrowKeys, makeDeposit } = await escrowModules();
      if (o.full && o.diff) throw new RegistryError('syntax', 'give --full or --diff, not both', 'RFC 8909 §5.1');
      const type: DepositType = o.diff ? 'DIFF' : 'FULL';
      const split = o.split === undefined ? undefined : Number(o.split);
      if (split !== undefined && !(Number.isInteger(split) && split >= 4096)) throw new RegistryError('syntax', '--split is a number of bytes, at least 4096', 'RFC 8909 §5');
      const keys = await loadEscrowKeys({ agentKey: o.agentKey && path.resolve(ctx.cwd, o.agentKey), signingKey: o.signingKey && path.resolve(ctx.cwd, o.signingKey) }, env);
      const reg = await ctx.registry();
      const r = await makeDeposit(reg, cliActor, { type, outDir: path.resolve(ctx.cwd, o.out), keys, plain: Boolean(o.plain), ...(split ? { splitBytes: split } : {}) });
      if (o.json) { ctx.io.out(json(r)); return; }
      ctx.io.out(`deposit ${r.id} (${r.type}${r.prevId ? ` after ${r.prevId}` : ''}), watermark ${r.watermark.toISOString()}\n`);
      ctx.io.out(`  ${r.counts.domain} domains, ${r.counts.host} hosts, ${r.counts.contact} contacts, ${r.counts.registrar} registrars, ${r.counts.nndn} NNDN${r.type === 'DIFF' ? `, ${r.deletes} deletes` : ''}\n`);
      for (const f of r.files) ctx.io.out(`  ${[f.ryde, f.sig, f.xml].filter(Boolean).map((x) => path.basename(x!)).join(' ')}  (${f.bytes} bytes of XML, sha256 ${f.sha256.slice(0, 16)}…)\n`);
      ctx.io.out(`  report ${path.basename(r.report)}\n`);
    });

  escrow.command('verify').argument('<files...>', 'the deposit files: .ryde (with .sig beside them) or .xml, and optionally the .rep report')
    .option('--key <file>', "the escrow agent's OpenPGP private key, to decrypt .ryde files (default DOMEN_ESCROW_AGENT_PRIVATE_KEY)")
    .option('--signer <file>', "the registry's OpenPGP public key, to check the .sig files (default DOMEN_ESCROW_SIGNER_KEY)")
    .option('--no-schema', 'skip the XML schema validation')
    .option('--json', 'print JSON')
    .description('check a deposit: signatures, decryption, RDE schemas, header counts, report')
    .action(async (files: string[], o: { key?: string; signer?: string; schema: boolean; json?: boolean }) => {
      const { rdeSchema, readPrivateKeyFile, readPublicKeyFile, verifyDeposit } = await escrowModules();
      const keyPath = o.key ?? env.DOMEN_ESCROW_AGENT_PRIVATE_KEY;
      const signerPath = o.signer ?? env.DOMEN_ESCROW_SIGNER_KEY;
      const agent = keyPath ? await readPrivateKeyFile(path.resolve(ctx.cwd, keyPath), env.DOMEN_ESCROW_AGENT_PASSPHRASE) : null;
      const signer = signerPath ? await readPublicKeyFile(path.resolve(ctx.cwd, signerPath)) : null;
      const r = await verifyDeposit(files.map((f) => path.resolve(ctx.cwd, f)), { agent, signer }, o.schema ? rdeSchema() : null);
      if (o.json) ctx.io.out(json(r));
      else {
        ctx.io.out(`deposit ${r.id ?? '?'} (${r.type ?? '?'}), watermark ${r.watermark ?? '?'}: ${r.ok ? 'ok' : `${r.problems.length} problems`}\n`);
        for (const f of r.files) {
          ctx.io.out(`  ${path.basename(f.file)}: ${Object.values(f.found).reduce((a, b) => a + b, 0)} objects${f.deletes ? `, ${f.deletes} deletes` : ''}`
            + `${f.signature ? `, signed by ${f.signature}` : ''}${o.schema ? ', schema valid' : ''}\n`);
        }
        ctx.io.out(`  content sha256 ${r.digest}\n`);
        for (const p of r.problems.slice(0, 50)) ctx.io.out(`  ${p}\n`);
      }
      if (!r.ok) throw new CliExit(1);
    });

  escrow.command('restore').argument('<files...>', 'the files of one FULL deposit (.ryde or .xml), ours or another registry system\'s, and of the DIFF deposits after it')
    .option('--key <file>', "the escrow agent's OpenPGP private key, to decrypt .ryde files (default DOMEN_ESCROW_AGENT_PRIVATE_KEY)")
    .option('--signer <file>', "check the .sig files with this OpenPGP public key first (default DOMEN_ESCROW_SIGNER_KEY)")
    .option('--no-schema', 'skip the XML schema validation')
    .option('--json', 'print the report as JSON')
    .description('restore a FULL deposit into this registry, which must hold no domains, and apply the DIFFs that follow it (also later); prints what could not be mapped')
    .action(async (files: string[], o: { key?: string; signer?: string; schema: boolean; json?: boolean }) => {
      const { openDepositFile, rdeSchema, readPrivateKeyFile, readPublicKeyFile, restoreDeposit, verifyFileSignature } = await escrowModules();
      const keyPath = o.key ?? env.DOMEN_ESCROW_AGENT_PRIVATE_KEY;
      const signerPath = o.signer ?? env.DOMEN_ESCROW_SIGNER_KEY;
      const agent = keyPath ? await readPrivateKeyFile(path.resolve(ctx.cwd, keyPath), env.DOMEN_ESCROW_AGENT_PASSPHRASE) : null;
      const paths = files.map((f) => path.resolve(ctx.cwd, f)).filter((f) => !f.endsWith('.sig') && !f.endsWith('.rep'));
      if (signerPath) {
        // The signatures first: nothing unsigned enters the registry.
        const signer = await readPublicKeyFile(path.resolve(ctx.cwd, signerPath));
        for (const f of paths.filter((p) => p.endsWith('.ryde'))) {
          try { await verifyFileSignature(f, f.replace(/\.ryde$/, '.sig'), signer); } catch (e) { throw new CliExit(1, (e as Error).message); }
        }
      }
      const reg = await ctx.registry();
      const report = await restoreDeposit(reg, cliActor, paths.map((f) => ({ name: f, open: () => (f.endsWith('.ryde') ? openDepositFile(f, agent) : Promise.resolve(createReadStream(f))) })),
        { schema: o.schema ? rdeSchema() : null });
      if (o.json) { ctx.io.out(json(report)); return; }
      const r = report.restored;
      if (report.type === 'FULL') {
        ctx.io.out(`restored deposit ${report.depositId} (watermark ${report.watermark}): ${r.registrars} registrars, ${r.contacts} contacts, ${r.domains} domains, `
          + `${r.hosts} hosts, ${r.ds} DS records, ${r.transfers} pending transfers, ${r.listEntries} list entries\n`);
      }
      for (const d of report.diffs) {
        const n = (o: Record<string, number>) => Object.entries(o).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing';
        ctx.io.out(`applied DIFF ${d.id} after ${d.prevId ?? '?'} (watermark ${d.watermark}): added ${n(d.added)}; changed ${n(d.changed)}; deleted ${n(d.deleted)}\n`);
      }
      const totals = Object.entries(report.unmappedTotals);
      if (!totals.length) ctx.io.out('everything in the deposit was mapped\n');
      else {
        ctx.io.out(`not mapped: ${totals.map(([k, n]) => `${n} × ${k}`).join(', ')}\n`);
        for (const u of report.unmapped) ctx.io.out(`  ${u.object}${u.key ? ` ${u.key}` : ''}: ${u.reason}\n`);
      }
      for (const n of report.notes) ctx.io.out(`note: ${n}\n`);
    });
}
