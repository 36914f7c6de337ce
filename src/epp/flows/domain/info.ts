// domain:info (RFC 5731 §3.1.2). The sponsor, or a client giving the right authInfo, sees everything;
// another registrar without authInfo sees what is public anyway (name, roid, statuses, name servers,
// sponsor, creation and expiry dates): no registrant, contacts, authInfo or change history. DS data in
// secDNS:infData, grace-period states in rgp:infData (RFC 3915 §3.2), each only if announced at login.
// A name not registered but under review (R3.12) answers the registrar's own pending application: status
// pendingCreate, crDate the receipt, roid 'A<application>-<suffix>', no exDate (RFC 5731 §3.3); another
// registrar's application stays 2303 (domain:check tells that the name is pending).
// Errors: 2303 not registered (nor applied for by this registrar); 2202 wrong authInfo; 2102 authInfo <ext>.
import { pendingApplicationByName, type ApplicationView } from '../../../core/applications.ts';
import { getDomain, type DomainView } from '../../../core/domains/view.ts';
import { isRegistryError } from '../../../core/errors.ts';
import { EppError } from '../../errors.ts';
import { wants, type Flow, type FlowContext } from '../../flow.ts';
import { NS } from '../../namespaces.ts';
import { dateTime, el, fragment, nsEl } from '../../responses.ts';
import { authInfoPw, clIdOf } from '../../values.ts';
import { dsInfData, SECDNS } from './secdns.ts';

// RFC 5731 §2.3 statuses go in domain:status; the grace-period states of RFC 3915 §3.2 in rgp:infData.
const DOMAIN_STATUSES = new Set(['clientDeleteProhibited', 'clientHold', 'clientRenewProhibited', 'clientTransferProhibited',
  'clientUpdateProhibited', 'inactive', 'ok', 'pendingCreate', 'pendingDelete', 'pendingRenew', 'pendingTransfer', 'pendingUpdate',
  'serverDeleteProhibited', 'serverHold', 'serverRenewProhibited', 'serverTransferProhibited', 'serverUpdateProhibited']);
// RGP's own pendingDelete (the purge days after redemption, RFC 3915 §3.1) is not a period of ours: the EPP
// pendingDelete status of a name in redemption stays in domain:status only.
const RGP_STATUSES = new Set(['addPeriod', 'autoRenewPeriod', 'renewPeriod', 'transferPeriod', 'pendingRestore', 'redemptionPeriod']);

export function infData(ctx: FlowContext, d: DomainView, full: boolean, hosts: string) {
  const withNs = hosts === 'all' || hosts === 'del';
  const withSub = full && (hosts === 'all' || hosts === 'sub');
  return nsEl('domain', 'infData', null,
    el('domain:name', null, d.name),
    el('domain:roid', null, d.roid),
    ...d.statuses.filter((s) => DOMAIN_STATUSES.has(s)).map((s) => el('domain:status', { s })),
    full && el('domain:registrant', null, d.registrant),
    ...(full ? d.contacts : []).map((c) => el('domain:contact', { type: c.type }, c.handle)),
    withNs && d.hosts.length > 0 && el('domain:ns', null, ...d.hosts.map((h) => el('domain:hostObj', null, h))),
    ...(withSub ? d.subordinateHosts : []).map((h) => el('domain:host', null, h)),
    el('domain:clID', null, d.registrarId),
    full && el('domain:crID', null, clIdOf(d.createdBy, ctx.config)),
    el('domain:crDate', null, dateTime(d.createdAt)),
    full && d.updatedAt && el('domain:upID', null, clIdOf(d.updatedBy, ctx.config)),
    full && d.updatedAt && el('domain:upDate', null, dateTime(d.updatedAt)),
    el('domain:exDate', null, dateTime(d.expiresAt)),
    full && d.transferredAt && el('domain:trDate', null, dateTime(d.transferredAt)),
    full && el('domain:authInfo', null, el('domain:pw', null, d.authInfo)),
  );
}

/** The registrar's own application for a name under review, as pendingCreate infData (RFC 5731 §3.3). */
function applicationInfData(ctx: FlowContext, app: ApplicationView, hosts: string) {
  const withNs = hosts === 'all' || hosts === 'del';
  return nsEl('domain', 'infData', null,
    el('domain:name', null, app.name),
    el('domain:roid', null, `A${app.id}-${ctx.reg.profile.roidSuffix}`),
    el('domain:status', { s: 'pendingCreate' }, `application ${app.id}, decision due by ${dateTime(app.dueAt)} (R3.12)`),
    el('domain:registrant', null, app.registrant),
    ...app.request.contacts.map((c) => el('domain:contact', { type: c.type }, c.handle)),
    withNs && app.request.hosts.length > 0 && el('domain:ns', null, ...app.request.hosts.map((h) => el('domain:hostObj', null, h.toLowerCase()))),
    el('domain:clID', null, app.registrarId),
    el('domain:crID', null, app.registrarId),
    el('domain:crDate', null, dateTime(app.receivedAt)),
    el('domain:authInfo', null, el('domain:pw', null, app.request.authInfo)),
  );
}

export const domainInfo: Flow = async (ctx) => {
  const nameEl = ctx.command.need('domain:name');
  const pw = authInfoPw(ctx.command.child('domain:authInfo'));
  let d: DomainView;
  try {
    d = await getDomain(ctx.reg, nameEl.text);
  } catch (e) {
    if (!isRegistryError(e) || e.kind !== 'notFound') throw e;
    const app = await pendingApplicationByName(ctx.reg, nameEl.text, { registrarId: ctx.registrarId });
    if (!app || app.registrarId !== ctx.registrarId) throw e;
    return { resData: applicationInfData(ctx, app, nameEl.attrs.hosts ?? 'all') };
  }
  const sponsor = d.registrarId === ctx.registrarId;
  if (!sponsor && pw !== undefined && pw !== d.authInfo) throw new EppError(2202, 'the authInfo does not match (RFC 5731 §3.1.2)');
  const full = sponsor || pw !== undefined;
  const rgp = d.statuses.filter((s) => RGP_STATUSES.has(s));
  const extensions = [
    wants(ctx, SECDNS) && d.ds.length > 0 && dsInfData(d.ds),
    wants(ctx, NS.rgp) && rgp.length > 0 && nsEl('rgp', 'infData', null, ...rgp.map((s) => el('rgp:rgpStatus', { s }))),
  ].filter((x) => x !== false);
  return {
    resData: infData(ctx, d, full, nameEl.attrs.hosts ?? 'all'),
    extension: extensions.length ? fragment(...extensions) : undefined,
  };
};
