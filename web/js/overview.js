// overview.js - the page #/ (Vue d'ensemble): for each of the seven sites, the 5-year
// age-standardised net survival (net_std, horizon 5) of the latest period that has one, with its
// interval, against the 33 % line, the trend per year and the 2030 projection with their
// intervals (GET /api/v1/report).
import { h, num, maskLegend, table } from './dom.js';
import { get, url } from './api.js';
import { SITES } from './sites.js';
import { percent, points, pvalue, count, date } from './format.js';

export const TITLE = "Vue d'ensemble";
const THRESHOLD = 0.33;

// The row of site/measure/horizon (period when given, null for the trend rows), sex "all",
// no region
function find(rows, site, measure, period) {
  return rows.find((r) => r.site === site && r.measure === measure && r.horizon_years === 5 &&
                   r.sex === 'all' && !r.region && (period === undefined ? true : r.period === period));
}

// The latest period whose 5-year net_std is published or masked (a period whose follow-up is too
// short has estimate null and suppressed "": it is skipped)
export function latest(rows, site) {
  const cands = rows.filter((r) => r.site === site && r.measure === 'net_std' && r.horizon_years === 5 &&
    r.sex === 'all' && !r.region && r.period && (r.estimate !== null || r.suppressed));
  cands.sort((a, b) => (a.period < b.period ? 1 : -1));
  return cands[0];
}

function key(r, field) {
  return `report:${r.site}:${r.measure}:${r.horizon_years}:${r.period || 'none'}:${field}`;
}

// estimate (lower – upper) of a row, each a figure with its data-api
function withInterval(r, minCell, fmt) {
  return [num(r.estimate, key(r, 'estimate'), r.suppressed, minCell, fmt), ' (IC 95\u00a0% : ',
          num(r.lower, key(r, 'lower'), r.suppressed, minCell, fmt), ' à ',
          num(r.upper, key(r, 'upper'), r.suppressed, minCell, fmt), ')'];
}

function verdict(r) {
  if (!r || r.estimate === null) return h('span', { class: 'verdict undecided' }, 'non évaluable');
  if (r.upper !== null && r.upper < THRESHOLD) return h('span', { class: 'verdict below' }, 'sous 33\u00a0%');
  if (r.lower !== null && r.lower > THRESHOLD) return h('span', { class: 'verdict above' }, 'au-dessus de 33\u00a0%');
  return h('span', { class: 'verdict undecided', title: "l'intervalle contient 33 %" }, 'indécis (33\u00a0% dans l\'intervalle)');
}

function card(rows, site, label, minCell) {
  const last = latest(rows, site);
  const trend = find(rows, site, 'trend_per_year', null);
  const p = find(rows, site, 'trend_p', null);
  const proj = find(rows, site, 'projection_2030', null);
  const body = [h('h2', null, label)];
  if (!last) {
    body.push(h('p', null, 'Aucune période n\'a encore un suivi de 5 ans.'));
  } else {
    body.push(
      h('p', null, `Survie nette standardisée à 5 ans, diagnostics ${last.period} :`),
      h('p', { class: 'big' }, num(last.estimate, key(last, 'estimate'), last.suppressed, minCell, percent)),
      h('p', null, 'IC 95\u00a0% : ', num(last.lower, key(last, 'lower'), last.suppressed, minCell, percent), ' à ',
        num(last.upper, key(last, 'upper'), last.suppressed, minCell, percent)),
      h('p', null, verdict(last)),
      h('p', null, 'Patients : ', num(last.n, key(last, 'n'), last.suppressed, minCell, count),
        ', décès : ', num(last.events, key(last, 'events'), last.suppressed, minCell, count)));
  }
  const dl = h('dl');
  dl.append(h('dt', null, 'Tendance'),
    h('dd', null, trend ? [...withInterval(trend, minCell, points), ' point de % par an'] : '–'));
  if (p) dl.append(h('dt', null, 'p (tendance)'), h('dd', null, num(p.estimate, key(p, 'estimate'), p.suppressed, minCell, pvalue)));
  dl.append(h('dt', null, 'Projection 2030'),
    h('dd', null, proj ? [...withInterval(proj, minCell, percent), h('br'), verdict(proj)] : '–'));
  body.push(dl);
  return h('li', { class: 'card', 'data-site': site }, h('article', { 'aria-label': label }, body));
}

export async function render(main, params, ctx) {
  main.append(h('h1', null, "Vue d'ensemble : survie des sept cancers de mauvais pronostic"));
  const rep = await get('report');
  if (ctx.stale()) return;
  main.append(
    h('p', { class: 'lead' }, 'Survie nette standardisée sur l\'âge (ICSS) à 5 ans de la dernière période de diagnostic ',
      'dont le suivi atteint 5 ans, comparée à l\'objectif de 33\u00a0%, tendance annuelle et projection en 2030. ',
      'Date de point : ', h('span', { 'data-api': 'report:closing' }, date(rep.closing)), '.'),
    h('ul', { class: 'cards' }, SITES.map(([s, label]) => card(rep.rows, s, label, rep.min_cell))));
  // the same figures as a table (readable by screen readers in one pass)
  const rows = SITES.map(([s, label]) => {
    const last = latest(rep.rows, s);
    const proj = find(rep.rows, s, 'projection_2030', null);
    return [{ th: label }, last ? last.period : '–',
      last ? withInterval(last, rep.min_cell, percent) : '–',
      proj ? withInterval(proj, rep.min_cell, percent) : '–'];
  });
  main.append(
    table('Survie nette standardisée à 5 ans et projection 2030, par localisation',
          ['Localisation', 'Période', 'Survie nette à 5 ans', 'Projection 2030'], rows, 'tableau-synthese'),
    maskLegend(rep.min_cell),
    h('p', { class: 'download' }, h('a', { href: url('report', { format: 'csv' }), download: 'rapport.csv' },
      'Télécharger le rapport complet (CSV)')));
}
