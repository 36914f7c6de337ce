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
import { resolveForCreate, validateDs, validateHostCount, validatePeriod } from './checks.ts';
import { effectiveStatuses, type ContactType, type DomainView, type DsData } from './view.ts';
import type { DomainRow } from '../../db/schema.ts';
import { sql } from 'kysely';
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

/**
 * The live domains of the name's IDN bundle and the oldest pending application for the name, in one statement.
 * Call it after the bundle lock is held (a statement before this one), so it sees every create of the bundle
 * committed before.
 */
async function bundleState(ctx: OperationContext, check: NameCheck): Promise<{ taken: { name: string; unicode_name: string; registrant_id: number }[]; queuedId: number | null }> {
  const r = await sql<{ kind: 'live' | 'app'; name: string; unicode_name: string | null; registrant_id: number | null; id: number | null }>`
    select 'live' as kind, name, unicode_name, registrant_id, null::int8 as id from domains where bundle_key = ${check.bundleKey!} and deleted_at is null
    union all
    (select 'app', name, null, null, id from applications where name = ${check.ascii!} and status = 'pending' order by id limit 1)`.execute(ctx.tx);
  const taken = r.rows.filter((x) => x.kind === 'live').map((x) => ({ name: x.name, unicode_name: x.unicode_name!, registrant_id: x.registrant_id! }));
  const queued = r.rows.find((x) => x.kind === 'app');
  return { taken, queuedId: queued ? queued.id : null };
}

function assertFree(check: NameCheck, registrantId: number, taken: { name: string; unicode_name: string; registrant_id: number }[]): void {
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

/** Checks that the name (and its IDN bundle) is free, under a lock on the bundle. */
export async function assertAvailable(ctx: OperationContext, check: NameCheck, registrantId: number): Promise<void> {
  await ctx.lock(`bundle:${check.bundleKey}`);
  assertFree(check, registrantId, (await bundleState(ctx, check)).taken);
}

type Taken = { name: string; unicode_name: string; registrant_id: number };

/**
 * Writes the domain row, its contacts, name servers and DS data in one statement (data-modifying CTEs), and
 * reads in the same statement what the snapshot needs from other tables (the handles and host names, in the
 * database's collation like domainView); a new domain has no subordinate hosts yet.
 * With `guard` (a create under the bundle lock, taken by an earlier statement) the same statement first reads
 * the bundle's live domains and the pending applications for the name and writes nothing if the name is not
 * free; the refusal is then the one assertAvailable and the application check would give.
 */
export async function insertDomain(ctx: OperationContext, spec: DomainSpec, guard = false): Promise<DomainView> {
  const { check } = spec;
  const contactIds = spec.contacts.map((c) => c.contactId);
  const contactTypes = spec.contacts.map((c) => c.type);
  const ds = spec.ds;
  const guardCtes = guard ? sql`live as (
      select name, unicode_name, registrant_id from domains where bundle_key = ${check.bundleKey!} and deleted_at is null
    ), queued as (
      select id from applications where name = ${check.ascii!} and status = 'pending' order by id limit 1
    ), ` : sql``;
  const guardWhere = guard ? sql`where not exists (select 1 from live where live.name = ${check.ascii!} or live.registrant_id <> ${spec.registrantId}::int8)
        and not exists (select 1 from queued)` : sql``;
  const guardCols = guard ? sql`(select coalesce(json_agg(live), '[]'::json) from live) as g_taken, (select id from queued) as g_queued,` : sql``;
  const r = await sql<Partial<DomainRow> & {
    v_registrant: string | null; v_contacts: { type: ContactType; handle: string }[] | string; v_hosts: string[] | string;
    g_taken?: Taken[] | string; g_queued?: number | null;
  }>`
    with ${guardCtes}d as (
      insert into domains (roid, name, unicode_name, zone, bundle_key, registrar_id, registrant_id, auth_info, statuses, grandfathered,
        application_id, created_at, created_by, expires_at)
      select 'D' || nextval('roid_seq')::int8 || ${`-${ctx.registry.profile.roidSuffix}`}::text, ${check.ascii!}::text, ${check.unicode!}::text,
        ${check.zone!}::text, ${check.bundleKey!}::text, ${spec.registrarId}::text, ${spec.registrantId}::int8, ${spec.authInfo}::text, '{}'::text[],
        ${spec.grandfathered}::boolean, ${spec.applicationId}::int8, ${ctx.now}::timestamptz, ${ctx.actorId}::text,
        ${spec.expiresAt ?? addYears(ctx.now, spec.periodYears)}::timestamptz
      ${guardWhere}
      returning *
    ), dc as (
      insert into domain_contacts (domain_id, contact_id, type)
      select d.id, x.contact_id, x.type from d, unnest(${contactIds}::int8[], ${contactTypes}::text[]) as x(contact_id, type)
    ), dh as (
      insert into domain_hosts (domain_id, host_id) select d.id, x.host_id from d, unnest(${spec.hostIds}::int8[]) as x(host_id)
    ), dd as (
      insert into domain_ds (domain_id, key_tag, algorithm, digest_type, digest)
      select d.id, x.key_tag, x.algorithm, x.digest_type, x.digest
      from d, unnest(${ds.map((x) => x.keyTag)}::int4[], ${ds.map((x) => x.algorithm)}::int4[], ${ds.map((x) => x.digestType)}::int4[],
        ${ds.map((x) => x.digest)}::text[]) as x(key_tag, algorithm, digest_type, digest)
    )
    select ${guardCols} d.*,
      (select c.handle from contacts c where c.id = d.registrant_id) as v_registrant,
      coalesce((select json_agg(json_build_object('type', x.type, 'handle', c.handle) order by x.type, c.handle)
        from unnest(${contactIds}::int8[], ${contactTypes}::text[]) as x(contact_id, type) join contacts c on c.id = x.contact_id), '[]'::json) as v_contacts,
      coalesce((select json_agg(h.name order by h.name) from hosts h where h.id = any(${spec.hostIds}::int8[])), '[]'::json) as v_hosts
    from (select 1) as one left join d on true`.execute(ctx.tx);
  const out = r.rows[0]!;
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);
  if (out.id === null || out.id === undefined) {
    // Not written: only the guard stops the insert.
    assertFree(check, spec.registrantId, parse(out.g_taken ?? []));
    if (out.g_queued !== null && out.g_queued !== undefined) throw queuedError(check, out.g_queued);
    throw new Error(`domain ${check.ascii} was not written`);
  }
  const row = out as DomainRow & typeof out;
  const hosts = parse(row.v_hosts);
  const view: DomainView = {
    name: row.name, unicodeName: row.unicode_name, roid: row.roid, zone: row.zone, registrarId: row.registrar_id,
    registrant: row.v_registrant!,
    contacts: parse(row.v_contacts).map((c) => ({ type: c.type, handle: c.handle })),
    hosts, subordinateHosts: [],
    ds: [...ds].sort((x, y) => x.keyTag - y.keyTag || x.algorithm - y.algorithm || x.digestType - y.digestType)
      .map((d) => ({ keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: d.digest })),
    statuses: effectiveStatuses(row.statuses, hosts.length > 0),
    authInfo: row.auth_info, grandfathered: row.grandfathered,
    createdAt: row.created_at, createdBy: row.created_by, updatedAt: row.updated_at, updatedBy: row.updated_by,
    expiresAt: row.expires_at, transferredAt: row.transferred_at,
  };
  await ctx.record({
    objectType: 'domain', objectId: row.name, before: null, after: view, topic: 'domain.created',
    payload: { roid: row.roid, zone: row.zone, registrarId: row.registrar_id, periodYears: spec.periodYears },
  });
  return view;
}

/** R4.12: a name with an application under review goes to the earliest applicant. */
function queuedError(check: NameCheck, id: number): RegistryError {
  return new RegistryError('exists', `${check.unicode} is not available: application ${id} for it is under review`, 'R4.12',
    [{ clause: 'R4.12', ground: 'R5.1.1', message: 'an earlier application has preference' }]);
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
    // One round trip before the writes: the sponsor, the contacts and name servers, and the bundle lock.
    const { registrantId, contacts, hostIds } = await resolveForCreate(ctx, registrarId, input.registrant, input.contacts ?? [], input.hosts ?? [],
      `bundle:${check.bundleKey}`);
    if (check.verdict === 'review') {
      assertFree(check, registrantId, (await bundleState(ctx, check)).taken);
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
    // The bundle and the review queue are read by the insert itself, under the lock taken above.
    const domain = await insertDomain(ctx, {
      check, registrarId, registrantId, periodYears, authInfo, contacts, hostIds, ds, grandfathered, applicationId: null,
      expiresAt: grandfathered ? input.expiresAt : undefined,
    }, true);
    // A2.2: registered once the fee is received; last, so the registrar's account is locked only until commit.
    await chargeOperation(ctx, { registrarId, zone: domain.zone, operation: 'create', years: periodYears, objectType: 'domain', objectId: domain.roid, domainName: domain.name, domainRoid: domain.roid });
    return { status: 'created', domain };
  });
}
