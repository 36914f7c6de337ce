// The language a user or a registrar is written to in (notices, the inbox, the portal's default): az, en or ru.
// Azerbaijani is the default (R3.17); a person or a registrar may ask for English or Russian.
import type { NoticeLang } from '../db/schema.ts';
import { isLang, LANGS } from '../notify/templates/keys.ts';
import { isRegistryOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import type { Registry } from './registry.ts';

function parseLang(lang: string): NoticeLang {
  if (!isLang(lang)) throw new RegistryError('syntax', `the language is one of ${LANGS.join(', ')}`, 'R3.17');
  return lang;
}

/** A user's language: the user, an administrator of the user's registrar, or the National Administrator may set it. */
export async function setUserLanguage(reg: Registry, actor: Actor, email: string, lang: string): Promise<{ id: number; email: string; lang: NoticeLang }> {
  const value = parseLang(lang);
  return runOperation(reg, actor, 'user.language', async (ctx) => {
    const u = await ctx.tx.selectFrom('users').select(['id', 'email', 'lang', 'registrar_id'])
      .where(({ fn }) => fn('lower', ['email']), '=', email.toLowerCase()).forUpdate().executeTakeFirst();
    if (!u) throw new RegistryError('notFound', `no user with the e-mail address ${email}`, 'R3.6');
    const self = actor.type === 'registrant' || actor.type === 'staff' ? actor.userId === u.id : actor.type === 'registrar' && actor.userId === u.id;
    const ownRegistrar = actor.type === 'registrar' && u.registrar_id !== null && actor.registrarId === u.registrar_id;
    if (!self && !ownRegistrar && !isRegistryOperator(actor)) throw new RegistryError('authorization', "only the user, the user's registrar or the National Administrator may change this", 'R3.1');
    await ctx.tx.updateTable('users').set({ lang: value, updated_at: ctx.now }).where('id', '=', u.id).execute();
    await ctx.record({ objectType: 'user', objectId: String(u.id), before: { lang: u.lang }, after: { lang: value }, topic: 'user.updated' });
    return { id: u.id, email: u.email, lang: value };
  });
}

/** A registrar's language for the registry's notices: the registrar itself or the National Administrator. */
export async function setRegistrarLanguage(reg: Registry, actor: Actor, registrarId: string, lang: string): Promise<{ id: string; lang: NoticeLang }> {
  const value = parseLang(lang);
  if (!(actor.type === 'registrar' && actor.registrarId === registrarId) && !isRegistryOperator(actor)) {
    throw new RegistryError('authorization', 'only the registrar or the National Administrator may change this', 'R9.6');
  }
  return runOperation(reg, actor, 'registrar.language', async (ctx) => {
    const r = await ctx.tx.selectFrom('registrars').select(['id', 'lang']).where('id', '=', registrarId).forUpdate().executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `there is no registrar ${registrarId}`, 'R9.6');
    await ctx.tx.updateTable('registrars').set({ lang: value, updated_at: ctx.now }).where('id', '=', r.id).execute();
    await ctx.record({ objectType: 'registrar', objectId: r.id, before: { lang: r.lang }, after: { lang: value }, topic: 'registrar.updated' });
    return { id: r.id, lang: value };
  });
}
