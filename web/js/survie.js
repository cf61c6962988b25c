// survie.js - the page #/survie: a form (site, comparison none/sex/period/region, years of
// diagnosis from/to) -> the curves drawn by the server (<img> of /api/v1/surv.svg), the table of
// each curve at 1 to 5 years (GET /api/v1/surv: the curve is a step function, its value at t is
// that of its last point at or before t) and the CSV download (format=csv).
import { h, num, table, select, input, maskLegend, formValues } from './dom.js';
import { get, url } from './api.js';
import { SITES, SITE_NAME, groupName } from './sites.js';
import { percent, count, date, NOT_AVAILABLE } from './format.js';

export const TITLE = 'Courbes de survie';
export const YEAR_DAYS = 365.241;   // docs/methods.md: h years are h x 365.241 days
const BY = [['', 'aucune'], ['sex', 'par sexe'], ['period', 'par période de diagnostic'], ['region', 'par région']];

// The index of the last point of a curve at or before t days, or -1 (t before the first point,
// or beyond the last time of follow-up: not available)
export function stepIndex(points, t) {
  let k = -1;
  for (let i = 0; i < points.length; i++) {
    if (points[i].time <= t) k = i; else break;
  }
  return k;
}

// Why a group's count is masked (the API gives no status for a group's counts; the rules of
// include/pronostic/curvepub.h): n is masked only for a group of 1 to k-1 patients (primary);
// its events are secondary when one of its points has a masked count (the total less the others
// would give it back), else primary (1 to k-1 events). A status sent by the API wins.
export function groupStatus(g, field) {
  if (g[field] !== null && g[field] !== undefined) return '';
  if (g[field + '_suppressed']) return g[field + '_suppressed'];
  if (field === 'n' || g.n === null) return 'primary';
  return g.points.some((p) => p.suppressed) ? 'secondary' : 'primary';
}

function form(params, ctx) {
  const f = h('form', { class: 'query', id: 'form-survie', 'aria-label': 'Sélection des courbes' },
    select('surv-site', 'Localisation', SITES, params.site),
    select('surv-by', 'Comparaison', BY, params.by || ''),
    input('surv-from', 'Diagnostics de (année)', { type: 'number', min: 1990, max: 2100, step: 1, value: params.from || '', inputmode: 'numeric' }),
    input('surv-to', 'jusqu\'à (année)', { type: 'number', min: 1990, max: 2100, step: 1, value: params.to || '', inputmode: 'numeric' }),
    h('button', { type: 'submit', class: 'primary', id: 'surv-submit' }, 'Afficher'));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go('/survie', formValues(f, [['site', 'surv-site'], ['by', 'surv-by'], ['from', 'surv-from'], ['to', 'surv-to']]));
  });
  return f;
}

export async function render(main, qp, ctx) {
  const params = { site: qp.get('site') || 'pancreas', by: qp.get('by') || '', from: qp.get('from') || '',
                   to: qp.get('to') || '' };
  main.append(h('h1', null, 'Courbes de survie observée'),
    h('p', { class: 'lead' }, 'Survie observée (Kaplan-Meier) depuis le diagnostic, avec son intervalle de confiance à 95 %, ',
      'pour une localisation, éventuellement comparée par sexe, période de diagnostic ou région.'),
    form(params, ctx));
  const api = { site: params.site, by: params.by, from: params.from, to: params.to };
  const data = await get('surv', api);
  if (ctx.stale()) return;
  const what = `${SITE_NAME[data.site] || data.site}${params.by ? ' ' + BY.find((b) => b[0] === params.by)[1] : ''}`;
  main.append(h('h2', null, `Survie observée : ${what}`),
    h('p', null, 'Date de point : ', h('span', { 'data-api': 'surv:closing' }, date(data.closing)), '. ',
      data.groups.length, data.groups.length > 1 ? ' groupes.' : ' groupe.'),
    h('figure', { class: 'figure' },
      h('img', { src: url('surv.svg', api), id: 'surv-img', width: 720, height: 440,
                 alt: `Courbes de survie observée, ${what} ; les valeurs de 1 à 5 ans sont dans le tableau qui suit.` }),
      h('figcaption', null, 'Courbes de Kaplan-Meier et bandes de confiance à 95 % (figure produite par le serveur).')));
  const rows = [];
  for (const g of data.groups) {
    for (let y = 1; y <= 5; y++) {
      const i = stepIndex(g.points, y * YEAR_DAYS);
      const last = g.points.length ? g.points[g.points.length - 1].time : 0;
      const label = { th: `${groupName(g.group)}, ${y} an${y > 1 ? 's' : ''}` };
      if (i < 0 || last < y * YEAR_DAYS) {
        rows.push([label, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE]);
        continue;
      }
      const p = g.points[i];
      // data-api names the point (its index in the group's points); data-years the time it is read at
      const cell = (f, fmt) => {
        const el = num(p[f], `surv:${g.group}:${i}:${f}`, p.suppressed, data.min_cell, fmt);
        el.dataset.years = String(y);
        return el;
      };
      rows.push([label, cell('estimate', percent), cell('lower', percent), cell('upper', percent), cell('n_risk', count)]);
    }
  }
  const t = table(`Survie observée à 1, 2, 3, 4 et 5 ans : ${what}`,
    ['Groupe et durée depuis le diagnostic', 'Survie', 'Borne basse (IC 95 %)', 'Borne haute (IC 95 %)', 'Patients à risque'],
    rows, 'tableau-survie');
  const groups = table('Effectifs des groupes', ['Groupe', 'Patients', 'Décès'],
    data.groups.map((g) => [{ th: groupName(g.group) },
      num(g.n, `surv:${g.group}:n`, groupStatus(g, 'n'), data.min_cell, count),
      num(g.events, `surv:${g.group}:events`, groupStatus(g, 'events'), data.min_cell, count)]),
    'tableau-groupes');
  main.append(t, groups, maskLegend(data.min_cell),
    h('p', { class: 'download' }, h('a', { href: url('surv', Object.assign({}, api, { format: 'csv' })), download: `survie-${data.site}.csv`, id: 'surv-csv' },
      'Télécharger les courbes (CSV)')));
}
