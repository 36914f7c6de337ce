// Domain create (RFC 5731 §3.2.1) under the '.az' rules: the name passes the policy (R4), or goes to
// review as an application when it needs consent (R4.2, R4.8, R4.9, R3.2); first come, first served
// (R4.12) is held by the live-name unique index; IDN variants form one bundle held by one registrant.
import { actingRegistrar, isRegistryOperator, type Actor } from '../actor.ts';
import { addYears } from '../clock.ts';
import { RegistryError } from '../errors.ts';
import { runOperation, type OperationContext } from '../operation.ts';
import { randomSecret } from '../passwords.ts';
import { chargeOperation } from '../../billing/ledger.ts';
import { registrarName, tellOwner } from '../lifecycle/notices.ts';
import type { Registry } from '../registry.ts';
import { normalizeHostName, validateAuthInfo } from '../validate.ts';
import { applicationView, type ApplicationView } from '../applications.ts';
import { resolveContacts, resolveHosts, validateDs, validateHostCount, validatePeriod, assertActiveRegistrar } from './checks.ts';
import { domainView, type ContactType, type DomainView, type DsData } from './view.ts';
import type { NameCheck } from '../../policy/types.ts';

export interface DomainCreateInput {
  name: string;
  periodYears?: number;
  registrant: string;
  contacts?: { type: ContactType; handle: string }[];
  hosts?: string[];
  authInfo?: string;
  ds?: DsData[];
  /** The sponsor, when the National Administrator creates for a registrar. */
  registrarId?: string | null;
  /** R4.13: a name registered before the rules, imported by the operator. */
  grandfathered?: boolean;
  expiresAt?: Date;
}

export type DomainCreateResult =
  | { status: 'created'; domain: DomainView }
  | { status: 'pending'; application: ApplicationView };

/** Refuses with every reason the policy gave; the first one names the clause. */
export function refuse(check: NameCheck): never {
  // The refusing reasons first: they are why the command fails.
  const ordered = [...check.reasons].sort((a, b) => Number(b.verdict === 'refused') - Number(a.verdict === 'refused'));
  const reasons = ordered.map((r) => ({ clause: r.clause, message: r.message, ground: r.ground, documents: r.documents }));
  throw new RegistryError('policy', `${check.input}: ${reasons.map((r) => r.message).join('; ')}`, reasons[0]?.clause ?? 'R4.1', reasons);
}

export interface DomainSpec {
  check: NameCheck; registrarId: string; registrantId: number; periodYears: number; authInfo: string;
  contacts: { type: ContactType; contactId: number }[]; hostIds: number[]; ds: DsData[];
  grandfathered: boolean; applicationId: number | null; expiresAt?: Date | undefined;
}

/** Checks that the name (and its IDN bundle) is free, under a lock on the bundle. */
export async function assertAvailable(ctx: OperationContext, check: NameCheck, registrantId: number): Promise<void> {
  await ctx.lock(`bundle:${check.bundleKey}`);
  const taken = await ctx.tx.selectFrom('domains').select(['name', 'unicode_name', 'registrant_id'])
    .where('bundle_key', '=', check.bundleKey!).where('deleted_at', 'is', null).execute();
  if (taken.some((d) => d.name === check.ascii)) {
    throw new RegistryError('exists', `${check.unicode} is not available: it is already registered`, 'R4.12',
      [{ clause: 'R4.12', ground: 'R5.1.1', message: 'already registered' }]);
  }
  const other = taken.find((d) => d.registrant_id !== registrantId);
  if (other) {
    throw new RegistryError('exists', `${check.unicode} is not available: its variant ${other.unicode_name} is held by another registrant`, 'R4.12',
      [{ clause: 'R4.12', ground: 'R5.1.1', message: `IDN variant of ${other.unicode_name}` }]);
  }
}

export async function insertDomain(ctx: OperationContext, spec: DomainSpec): Promise<DomainView> {
  const { check } = spec;
  const roid = await ctx.nextRoid('D');
  const row = await ctx.tx.insertInto('domains').values({
    roid, name: check.ascii!, unicode_name: check.unicode!, zone: check.zone!, bundle_key: check.bundleKey!,
    registrar_id: spec.registrarId, registrant_id: spec.registrantId, auth_info: spec.authInfo, statuses: [],
    grandfathered: spec.grandfathered, application_id: spec.applicationId,
    created_at: ctx.now, created_by: ctx.actorId, expires_at: spec.expiresAt ?? addYears(ctx.now, spec.periodYears),
  }).returningAll().executeTakeFirstOrThrow();
  if (spec.contacts.length) {
    await ctx.tx.insertInto('domain_contacts').values(spec.contacts.map((c) => ({ domain_id: row.id, contact_id: c.contactId, type: c.type }))).execute();
  }
  if (spec.hostIds.length) {
    await ctx.tx.insertInto('domain_hosts').values(spec.hostIds.map((h) => ({ domain_id: row.id, host_id: h }))).execute();
  }
  if (spec.ds.length) {
    await ctx.tx.insertInto('domain_ds').values(spec.ds.map((d) => ({
      domain_id: row.id, key_tag: d.keyTag, algorithm: d.algorithm, digest_type: d.digestType, digest: d.digest,
    }))).execute();
  }
  const view = await domainView(ctx.tx, row);
  await ctx.record({
    objectType: 'domain', objectId: row.name, before: null, after: view, topic: 'domain.created',
    payload: { roid, zone: row.zone, registrarId: row.registrar_id, periodYears: spec.periodYears },
  });
  return view;
}

export async function createDomain(reg: Registry, actor: Actor, input: DomainCreateInput): Promise<DomainCreateResult> {
  const registrarId = actingRegistrar(actor, input.registrarId);
  const periodYears = validatePeriod(reg, input.periodYears ?? 1);
  const grandfathered = Boolean(input.grandfathered);
  if (grandfathered && !isRegistryOperator(actor)) {
    throw new RegistryError('authorization', 'only the National Administrator imports grandfathered names', 'R4.13');
  }
  const check = await reg.policy.checkName(input.name, { grandfathered });
  if (check.verdict === 'refused') refuse(check);
  validateHostCount(input.hosts ?? []);
  const ds = validateDs(input.ds ?? []);
  const authInfo = input.authInfo ?? randomSecret();
  validateAuthInfo(authInfo);

  return runOperation(reg, actor, check.verdict === 'review' ? 'application.create' : 'domain.create', async (ctx) => {
    await assertActiveRegistrar(ctx, registrarId);
    const { registrantId, contacts } = await resolveContacts(ctx, registrarId, input.registrant, input.contacts ?? []);
    const hostIds = await resolveHosts(ctx, input.hosts ?? []);
    await assertAvailable(ctx, check, registrantId);

    if (check.verdict === 'review') {
      // R3.12: into the queue in order of receipt, due in 3 working days.
      const calendar = await reg.policy.calendar(ctx.tx);
      const app = await ctx.tx.insertInto('applications').values({
        name: check.ascii!, unicode_name: check.unicode!, zone: check.zone!, bundle_key: check.bundleKey!, registrar_id: registrarId,
        registrant_id: registrantId, period_years: periodYears,
        request: JSON.stringify({ authInfo, hosts: (input.hosts ?? []).map(normalizeHostName), contacts: input.contacts ?? [], ds,
          clientTrid: actor.type === 'registrar' ? actor.clientTrid ?? null : null,
          serverTrid: actor.type === 'registrar' ? actor.serverTrid ?? null : null }),
        reasons: JSON.stringify(check.reasons), received_at: ctx.now, due_at: calendar.deadline(ctx.now, reg.profile.reviewWorkingDays),
      }).returningAll().executeTakeFirstOrThrow();
      const view = await applicationView(ctx.tx, app);
      await ctx.record({ objectType: 'application', objectId: String(app.id), before: null, after: view, topic: 'application.received',
        payload: { name: app.name, registrarId } });
      // R3.10: the fee is paid with the application; refunded if it is refused (R5.2) or withdrawn.
      await chargeOperation(ctx, { registrarId, zone: app.zone, operation: 'create', years: periodYears, objectType: 'application', objectId: String(app.id), domainName: app.name });
      // R3.11: the receipt is confirmed at once, to the applicant's e-mail and account.
      await tellOwner(ctx, app, 'application.received', {
        name: app.unicode_name, applicationId: app.id, registrar: await registrarName(ctx, registrarId), receivedAt: app.received_at, dueAt: app.due_at,
      }, `application-received:${app.id}`);
      return { status: 'pending', application: view };
    }

    // A name that went to review earlier keeps its queue: the first applicant has preference (R4.12).
    const queued = await ctx.tx.selectFrom('applications').select('id').where('name', '=', check.ascii!).where('status', '=', 'pending').executeTakeFirst();
    if (queued) {
      throw new RegistryError('exists', `${check.unicode} is not available: application ${queued.id} for it is under review`, 'R4.12',
        [{ clause: 'R4.12', ground: 'R5.1.1', message: 'an earlier application has preference' }]);
    }
    const domain = await insertDomain(ctx, {
      check, registrarId, registrantId, periodYears, authInfo, contacts, hostIds, ds, grandfathered, applicationId: null,
      expiresAt: grandfathered ? input.expiresAt : undefined,
    });
    // A2.2: registered once the fee is received; last, so the registrar's account is locked only until commit.
    await chargeOperation(ctx, { registrarId, zone: domain.zone, operation: 'create', years: periodYears, objectType: 'domain', objectId: domain.roid, domainName: domain.name, domainRoid: domain.roid });
    return { status: 'created', domain };
  });
}
