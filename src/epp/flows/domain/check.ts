// domain:check (RFC 5731 §3.1.1): for each name, whether a domain:create could succeed now.
//   avail=0 with a reason: refused by the rules (R4, with the clause), registered, an IDN variant of a
//   registered name, or an earlier application under review (R4.12).
//   avail=1, with a reason when the name needs review first (R3.12, R4.2, R4.8, R4.9: create answers 1001).
// Errors: 2306 more than MAX_CHECK names in one command.
import type { NameCheck, Reason } from '../../../policy/types.ts';
import { domainAvailability, type Unavailable } from '../../../core/domains/check.ts';
import { EppError } from '../../errors.ts';
import type { Flow } from '../../flow.ts';
import { el, nsEl } from '../../responses.ts';

export const MAX_CHECK = 50;

const TAKEN: Record<Unavailable, string> = {
  registered: 'In use',
  variant: 'IDN variant in use (R4.12)',
  application: 'Application pending (R4.12)',
};

/** eppcom reasonType holds at most 32 characters: a short label and the clause. */
function short(r: Reason | undefined, tld: string): string {
  if (!r) return 'Not available';
  const label: Record<string, string> = {
    name: `Not a name under .${tld}`, zone: 'Not a registrable zone', allocated: 'Allocated name', length: 'Invalid length',
    chars: 'Invalid characters', hyphens: 'Invalid hyphens', alabel: 'Invalid A-label', 'restricted-zone': 'Restricted zone',
    list: r.verdict === 'review' ? 'Needs review' : 'Refused',
  };
  const text = `${label[r.code] ?? 'Refused'} (${r.clause})`;
  return text.length <= 32 ? text : text.slice(0, 32);
}

function firstOf(c: NameCheck, verdict: 'refused' | 'review'): Reason | undefined {
  return c.reasons.find((r) => r.verdict === verdict);
}

export const domainCheck: Flow = async (ctx) => {
  const names = ctx.command.all('domain:name').map((n) => n.text);
  if (names.length > MAX_CHECK) throw new EppError(2306, `at most ${MAX_CHECK} names in one check`);
  const tld = ctx.reg.profile.tld;
  const checks = await Promise.all(names.map((n) => ctx.reg.policy.checkName(n)));
  const taken = await domainAvailability(ctx.reg, checks.filter((c) => c.verdict !== 'refused' && c.ascii));
  const cds = names.map((name, i) => {
    const c = checks[i]!;
    let reason: string | null = null;
    let avail = false;
    if (c.verdict === 'refused' || !c.ascii) reason = short(firstOf(c, 'refused'), tld);
    else {
      const t = taken.get(c.ascii);
      if (t) reason = TAKEN[t];
      else {
        avail = true;
        if (c.verdict === 'review') reason = short(firstOf(c, 'review'), tld);
      }
    }
    return el('domain:cd', null, el('domain:name', { avail }, name), reason && el('domain:reason', null, reason));
  });
  return { resData: nsEl('domain', 'chkData', null, ...cds) };
};
