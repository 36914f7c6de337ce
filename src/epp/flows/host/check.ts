// host:check (RFC 5732 §3.1.1). A name that is not a valid host name is not available.
// Errors: 2306 more than MAX_CHECK names.
import { isRegistryError } from '../../../core/errors.ts';
import { normalizeHostName } from '../../../core/validate.ts';
import { existingHosts } from '../../../core/hosts.ts';
import { EppError } from '../../errors.ts';
import type { Flow } from '../../flow.ts';
import { el, nsEl } from '../../responses.ts';
import { MAX_CHECK } from '../domain/check.ts';

function normalized(name: string): string | null {
  try {
    return normalizeHostName(name);
  } catch (e) {
    if (isRegistryError(e)) return null;
    throw e;
  }
}

export const hostCheck: Flow = async (ctx) => {
  const names = ctx.command.all('host:name').map((n) => n.text);
  if (names.length > MAX_CHECK) throw new EppError(2306, `at most ${MAX_CHECK} names in one check`);
  const norm = names.map(normalized);
  const taken = await existingHosts(ctx.reg, norm.filter((n): n is string => n !== null));
  return {
    resData: nsEl('host', 'chkData', null, ...names.map((name, i) => {
      const n = norm[i] ?? null;
      const reason = n === null ? 'Invalid host name' : taken.has(n) ? 'In use' : null;
      return el('host:cd', null, el('host:name', { avail: reason === null }, name), reason && el('host:reason', null, reason));
    })),
  };
};
