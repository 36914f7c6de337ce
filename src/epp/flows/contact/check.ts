// contact:check (RFC 5733 §3.1.1). Errors: 2306 more than MAX_CHECK identifiers.
import { existingContacts } from '../../../core/contacts.ts';
import { EppError } from '../../errors.ts';
import type { Flow } from '../../flow.ts';
import { el, nsEl } from '../../responses.ts';
import { MAX_CHECK } from '../domain/check.ts';

export const contactCheck: Flow = async (ctx) => {
  const ids = ctx.command.all('contact:id').map((i) => i.text);
  if (ids.length > MAX_CHECK) throw new EppError(2306, `at most ${MAX_CHECK} identifiers in one check`);
  const taken = await existingContacts(ctx.reg, ids);
  return {
    resData: nsEl('contact', 'chkData', null, ...ids.map((id) => el('contact:cd', null,
      el('contact:id', { avail: !taken.has(id) }, id), taken.has(id) && el('contact:reason', null, 'In use')))),
  };
};
