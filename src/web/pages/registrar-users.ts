// The registrar's users and roles (R9.3.10): its administrator adds users (registrar_admin or registrar_staff),
// changes their role and name, and deactivates or reactivates them. Staff users do not see this page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addRegistrarUser, listRegistrarUsers, REGISTRAR_USER_ROLES, updateRegistrarUser } from '../../core/registrar-access.ts';
import type { Registry } from '../../core/registry.ts';
import { csrfField, day, esc } from './layout.ts';
import { adminOnly, ctx, input, outcome, registrarPage, select, type Q } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';
import { sendHtml } from './render.ts';

export async function registrarUserPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function render(req: FastifyRequest, message = '', typed: Q = {}): Promise<string> {
    const p = req.portal.principal!;
    const users = await listRegistrarUsers(reg, p.actor, p.registrarId!);
    const c = ctx(req, reg, '/registrar/users');
    const L = c.lang;
    const roles = REGISTRAR_USER_ROLES.map((r): [string, string] => [r, rt(L, r)]);
    const rows = users.map((u) => `<tr id="user-${u.id}"><td>${esc(u.email)}</td><td>${esc(u.name)}</td><td>${rt(L, u.role as 'registrar_staff')}</td>
<td>${u.active ? rt(L, 'activeUser') : rt(L, 'inactiveUser')}</td><td>${day(u.createdAt)}</td>
<td>${u.id === p.userId ? rt(L, 'you') : `<form method="post" action="/registrar/users/${u.id}" class="decide">${csrfField(c)}
${select(`role-${u.id}`, 'role', `${rt(L, 'role')} (${u.email})`, roles, u.role)}
${select(`active-${u.id}`, 'active', `${rt(L, 'access')} (${u.email})`, [['true', rt(L, 'activeUser')], ['false', rt(L, 'inactiveUser')]], String(u.active))}
<button type="submit" aria-label="${rt(L, 'saveUser')} ${esc(u.email)}">${rt(L, 'saveUser')}</button></form>`}</td></tr>`).join('\n');
    const body = `${message}<div class="table"><table><thead><tr><th scope="col">${rt(L, 'emailField')}</th><th scope="col">${rt(L, 'name')}</th><th scope="col">${rt(L, 'role')}</th>
<th scope="col">${rt(L, 'access')}</th><th scope="col">${rt(L, 'added')}</th><th scope="col">${rt(L, 'actions')}</th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>${rt(L, 'newUser')}</h2><form method="post" action="/registrar/users">${csrfField(c)}
${input('u-email', 'email', rt(L, 'emailField'), typed.email, 'type="email" required maxlength="254" autocomplete="off"')}
${input('u-name', 'name', rt(L, 'name'), typed.name, 'required maxlength="200"')}
${select('u-role', 'role', rt(L, 'role'), roles, typed.role ?? 'registrar_staff')}
<label for="u-password">${rt(L, 'initialPassword')}</label><input id="u-password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" aria-describedby="u-password-help">
<p id="u-password-help"><small>${rt(L, 'passwordHelp')}</small></p>
<div><button type="submit">${rt(L, 'addUser')}</button></div></form>`;
    return registrarPage(c, rt(L, 'navUsers'), body);
  }

  app.get('/users', { config: adminOnly }, async (req, reply) => sendHtml(reply, await render(req)));

  app.post<{ Body: Q }>('/users', { config: adminOnly }, async (req, reply) => {
    const b = req.body ?? {};
    const p = req.portal.principal!;
    return outcome(reply, async () => {
      const u = await addRegistrarUser(reg, p.actor, p.registrarId!, { email: b.email ?? '', name: b.name ?? '', role: b.role ?? '', password: b.password ?? '' });
      return rt(req.portal.lang, 'userAdded', { e: u.email });
    }, (m, code) => render(req, m, code === 200 ? {} : { email: b.email, name: b.name, role: b.role }));
  });

  app.post<{ Params: { id: string }; Body: Q }>('/users/:id', { config: adminOnly }, async (req, reply) => {
    const b = req.body ?? {};
    const p = req.portal.principal!;
    return outcome(reply, async () => {
      const u = await updateRegistrarUser(reg, p.actor, p.registrarId!, Number.parseInt(req.params.id, 10) || 0, {
        ...(b.role ? { role: b.role } : {}), ...(b.active === 'true' || b.active === 'false' ? { active: b.active === 'true' } : {}),
      });
      return rt(req.portal.lang, 'userSaved', { e: u.email });
    }, (m) => render(req, m));
  });
}
