// The statistics dashboard (/admin/statistics): domains by zone over time, creates/renewals/deletions per month,
// registrar shares, IDN and DNSSEC shares, drawn as SVG on the server (./charts.ts) from registryStatistics
// (src/core/statistics.ts). statisticsBody() is the whole dashboard without the page frame, for the public
// statistics page to reuse; GET /api/statistics gives the same numbers as JSON.
import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../core/registry.ts';
import { registryStatistics, type Statistics } from '../../core/statistics.ts';
import { at } from './admin-i18n.ts';
import { READ, subNav, type Q } from './admin-common.ts';
import { barChart, dataTable, lineChart, percent, shareChart } from './charts.ts';
import type { Lang } from './i18n.ts';
import { esc, page, stamp } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';

/** The dashboard's charts and tables for `s`, in language L. `headingLevel` lets a page nest it. */
export function statisticsBody(L: Lang, s: Statistics, headingLevel: 2 | 3 = 2): string {
  const h = (id: string, text: string) => `<h${headingLevel} id="${id}">${esc(text)}</h${headingLevel}>`;
  const cards = `<ul class="cards"><li>${esc(at(L, 'totalDomains'))}<strong id="stat-total">${s.total}</strong></li>
<li>${esc(at(L, 'idnShare'))}<strong id="stat-idn">${percent(s.total ? s.idn / s.total : 0)}</strong></li>
<li>${esc(at(L, 'dnssecShare'))}<strong id="stat-dnssec">${percent(s.total ? s.dnssec / s.total : 0)}</strong></li></ul>`;
  const zoneSeries = s.domainsByZone.filter((z) => z.counts.some((n) => n > 0)).map((z) => ({ name: z.zone, values: z.counts }));
  const activitySeries = [
    { name: at(L, 'creates'), values: s.activity.map((a) => a.creates) },
    { name: at(L, 'renewals'), values: s.activity.map((a) => a.renewals) },
    { name: at(L, 'deletions'), values: s.activity.map((a) => a.deletions) },
  ];
  const registrars = s.registrars.map((r) => ({ name: r.name, value: r.domains }));
  return `<p>${esc(at(L, 'asOf', { d: stamp(s.asOf) }))}</p>${cards}
<section aria-labelledby="h-zones">${h('h-zones', at(L, 'byZone'))}
${lineChart('chart-zones', { title: at(L, 'byZone'), desc: at(L, 'byZoneDesc', { n: s.months.length }) }, s.months, zoneSeries)}
${dataTable(at(L, 'byZone'), at(L, 'month'), s.months, zoneSeries, at(L, 'asTable'))}</section>
<section aria-labelledby="h-activity">${h('h-activity', at(L, 'activity'))}
${barChart('chart-activity', { title: at(L, 'activity'), desc: at(L, 'activityDesc') }, s.months, activitySeries)}
${dataTable(at(L, 'activity'), at(L, 'month'), s.months, activitySeries, at(L, 'asTable'))}</section>
<section aria-labelledby="h-shares">${h('h-shares', at(L, 'shares'))}
${shareChart('chart-registrars', { title: at(L, 'shares'), desc: at(L, 'sharesDesc') }, registrars)}</section>
<section aria-labelledby="h-features">${h('h-features', at(L, 'features'))}
${shareChart('chart-idn', { title: at(L, 'idnShare'), desc: at(L, 'featuresDesc') }, [{ name: at(L, 'idn'), value: s.idn }, { name: at(L, 'ascii'), value: s.total - s.idn }])}
${shareChart('chart-dnssec', { title: at(L, 'dnssecShare'), desc: at(L, 'featuresDesc') }, [{ name: at(L, 'signed'), value: s.dnssec }, { name: at(L, 'unsigned'), value: s.total - s.dnssec }])}</section>`;
}

export async function adminStatsPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  app.get('/statistics', READ, async (req, reply) => {
    const months = Math.min(Math.max(Number.parseInt((req.query as Q).months ?? '12', 10) || 12, 1), 60);
    const s = await registryStatistics(reg, { months });
    const c = pageContext(req, reg, '/admin/statistics');
    const L = c.lang;
    const api = `<p>${esc(at(L, 'jsonApi', { u: '' }))}<a href="/api/statistics?months=${months}">/api/statistics?months=${months}</a></p>`;
    return sendHtml(reply, page(c, at(L, 'statistics'), subNav(req, L, '/admin/statistics') + statisticsBody(L, s) + api));
  });
}
