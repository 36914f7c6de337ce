// Starting prices and invoice issuer of a fresh registry, per TLD profile. The National Administrator sets
// the fees with the Ministry's approval (R3.1) and changes them with `domen price set`; these are only the
// rows a new '.az' registry starts from. A profile without defaults starts with an empty price list, and a
// registry with no price at all charges nothing (see chargeOperation).
import type { BillingOperation } from '../db/schema.ts';

export interface DefaultPrices {
  /** From when the starting prices apply: before anything a registry will hold. */
  effectiveFrom: string;
  /** qəpik per year (restore: per restore) by zone. */
  byZone: (zone: string) => Record<BillingOperation, number>;
}

export interface Issuer { name: string; address: string; tin?: string | null; email?: string | null; bank?: string | null }

const TLD_PRICES: Record<BillingOperation, number> = { create: 3000, renew: 3000, transfer: 3000, restore: 4000 };
const SLD_PRICES: Record<BillingOperation, number> = { create: 2000, renew: 2000, transfer: 2000, restore: 3000 };

export const DEFAULT_PRICES: Readonly<Record<string, DefaultPrices>> = {
  az: {
    // The day Resolution No. 63 was adopted, midnight in Baku.
    effectiveFrom: '2019-02-24T20:00:00Z',
    byZone: (zone) => (zone === 'az' ? TLD_PRICES : SLD_PRICES),
  },
};

export const DEFAULT_ISSUER: Readonly<Record<string, Issuer>> = {
  az: { name: 'National Administrator of Domain Names (.az)', address: 'Bakı, Azərbaycan Respublikası', email: 'billing@nic.az' },
};
