// The registry: the database, the clock, the TLD profile and the live policy data, handed to every operation.
import type { Kysely } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { getProfile, type TldProfile } from '../policy/profile.ts';
import { systemClock, type Clock } from './clock.ts';
import { PolicyService } from './policy-service.ts';

export interface RegistryOptions { clock?: Clock; tld?: string }

export class Registry {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly profile: TldProfile;
  readonly policy: PolicyService;

  constructor(readonly database: Db, options: RegistryOptions = {}) {
    this.db = database.db;
    this.clock = options.clock ?? systemClock;
    this.profile = getProfile(options.tld ?? process.env.DOMEN_TLD ?? 'az');
    this.policy = new PolicyService(this);
  }
}
