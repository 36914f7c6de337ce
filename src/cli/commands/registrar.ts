import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { terminateRegistrar } from '../../core/lifecycle/registrar-termination.ts';
import { cliActor } from '../../core/actor.ts';
import { addRegistrarCertificate, createRegistrar, listRegistrars } from '../../core/registrars.ts';
import type { CliContext } from '../context.ts';
import { json, table } from '../output.ts';
import { registrarBillingCommands } from './billing.ts';

export function registrarCommands(program: Command, ctx: CliContext): void {
  const registrar = program.command('registrar').description('accredited registrars (R9)');

  registrar.command('create').description('accredit a registrar: EPP login, and optionally a client certificate')
    .requiredOption('--id <id>', 'EPP client id (clID), 3-16 characters')
    .requiredOption('--name <name>', 'public name (R9.6)')
    .requiredOption('--email <email>', 'contact e-mail')
    .requiredOption('--password <password>', 'EPP password')
    .option('--legal-form <form>').option('--phone <phone>', '+994.123456789').option('--address <address>').option('--url <url>')
    .option('--cert-out <dir>', 'write client.key, client.crt and ca.crt for EPP over TLS into this directory')
    .action(async (o: { id: string; name: string; email: string; password: string; legalForm?: string; phone?: string; address?: string; url?: string; certOut?: string }) => {
      const reg = await ctx.registry();
      const r = await createRegistrar(reg, cliActor, {
        id: o.id, name: o.name, email: o.email, password: o.password, legalForm: o.legalForm ?? null, phone: o.phone ?? null,
        address: o.address ?? null, url: o.url ?? null,
      });
      ctx.io.out(`registrar ${r.id} (${r.name}) created\n`);
      if (o.certOut) {
        const dir = path.resolve(ctx.cwd, o.certOut);
        // Loaded only here: the X.509 library takes a while to load, and no other command needs it.
        const { issueRegistrarCertificate } = await import('../../core/pki-store.ts');
        const { client, caPem, fingerprint } = await issueRegistrarCertificate(reg, r.id, r.name);
        await addRegistrarCertificate(reg, cliActor, r.id, fingerprint, client.certPem);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'client.key'), client.keyPem, { mode: 0o600 });
        await chmod(path.join(dir, 'client.key'), 0o600);
        await writeFile(path.join(dir, 'client.crt'), client.certPem);
        await writeFile(path.join(dir, 'ca.crt'), caPem);
        ctx.io.out(`client certificate ${fingerprint}\nwrote ${path.join(dir, 'client.key')}, client.crt, ca.crt\n`);
      }
    });

  registrar.command('terminate').argument('<id>', 'the registrar to terminate')
    .requiredOption('--successor <id>', 'the registrar that consented to take over its domains')
    .requiredOption('--consent <reference>', "the successor's written consent (document reference)")
    .requiredOption('--reason <text>', 'why the registrar is terminated (R9.8)')
    .description('terminate a registrar and move all its domains, contacts and hosts to a consenting registrar (R9.8)')
    .action(async (id: string, o: { successor: string; consent: string; reason: string }) => {
      const r = await terminateRegistrar(await ctx.registry(), cliActor, { registrarId: id, successorId: o.successor, consent: o.consent, reason: o.reason });
      ctx.io.out(`${r.registrarId} terminated; ${r.domains} domains, ${r.contacts} contacts, ${r.hosts} hosts moved to ${r.successorId}; ${r.transfersCancelled} pending transfers cancelled\n`);
    });

  registrar.command('lang').argument('<id>', 'the registrar').argument('<lang>', 'az, en or ru')
    .description("the language of the registry's notices to the registrar (R3.17: Azerbaijani unless asked otherwise)")
    .action(async (id: string, lang: string) => {
      const { setRegistrarLanguage } = await import('../../core/languages.ts');
      const r = await setRegistrarLanguage(await ctx.registry(), cliActor, id, lang);
      ctx.io.out(`registrar ${r.id}: language ${r.lang}\n`);
    });

  registrar.command('list').option('--json', 'print JSON').action(async (o: { json?: boolean }) => {
    const rows = await listRegistrars(await ctx.registry());
    ctx.io.out(o.json ? json(rows) : table(rows as unknown as Record<string, unknown>[], ['id', 'name', 'status', 'email']));
  });

  registrarBillingCommands(registrar, ctx);
}
