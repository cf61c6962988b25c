// parcours.js - the page #/parcours: the care-pathway and end-of-life indicators of a site
// (GET /api/v1/pathway), each with its numerator, denominator, estimate and interval (a delay's
// median and quartiles in days), and Earle's benchmark where there is one; the CSV download.
import { h, num, table, select, input, maskLegend, formValues } from './dom.js';
import { get, url } from './api.js';
import { SITES, SITE_NAME, indicatorName, indicatorKind, groupName } from './sites.js';
import { percent, count, days, NOT_AVAILABLE } from './format.js';

export const TITLE = 'Parcours de soins';
const BY = [['', 'aucune'], ['sex', 'par sexe'], ['agegroup', 'par âge'], ['region', 'par région'], ['year', 'par année']];

function form(params, ctx) {
  const f = h('form', { class: 'query', id: 'form-parcours', 'aria-label': 'Sélection des indicateurs' },
    select('pw-site', 'Localisation', [['', 'Toutes les localisations'], ...SITES], params.site),
    select('pw-by', 'Ventilation', BY, params.by),
    input('pw-from', 'Diagnostics de (année)', { type: 'number', min: 1990, max: 2100, step: 1, value: params.from, inputmode: 'numeric' }),
    input('pw-to', 'jusqu\'à (année)', { type: 'number', min: 1990, max: 2100, step: 1, value: params.to, inputmode: 'numeric' }),
    h('button', { type: 'submit', class: 'primary', id: 'pw-submit' }, 'Afficher'));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go('/parcours', formValues(f, [['site', 'pw-site'], ['by', 'pw-by'], ['from', 'pw-from'], ['to', 'pw-to']]));
  });
  return f;
}

export async function render(main, qp, ctx) {
  const params = { site: qp.get('site') || '', by: qp.get('by') || '', from: qp.get('from') || '', to: qp.get('to') || '' };
  main.append(h('h1', null, 'Parcours de soins et fin de vie'),
    h('p', { class: 'lead' }, 'Délais (médiane et quartiles, en jours), parts de patients avec leur intervalle de confiance de Wilson à 95 %, ',
      'et le seuil de référence d\'Earle pour les indicateurs de fin de vie.'),
    form(params, ctx));
  const api = { site: params.site, by: params.by, from: params.from, to: params.to };
  const data = await get('pathway', api);
  if (ctx.stale()) return;
  const what = params.site ? SITE_NAME[params.site] || params.site : 'toutes localisations';
  const k = (r, f) => `pathway:${r.indicator}:${r.site}:${r.group}:${f}`;
  const rows = data.rows.map((r) => {
    const fmt = indicatorKind(r.indicator) === 'delay' ? days : percent;
    const label = indicatorName(r.indicator) + (r.group && r.group !== 'all' ? ` — ${groupName(r.group)}` : '') +
                  (params.site || r.site === 'all' ? '' : ` (${SITE_NAME[r.site] || r.site})`);
    return [{ th: label },
      num(r.numerator, k(r, 'numerator'), r.suppressed, data.min_cell, count),
      num(r.denominator, k(r, 'denominator'), r.suppressed, data.min_cell, count),
      num(r.estimate, k(r, 'estimate'), r.suppressed, data.min_cell, fmt),
      [num(r.lower, k(r, 'lower'), r.suppressed, data.min_cell, fmt), ' à ', num(r.upper, k(r, 'upper'), r.suppressed, data.min_cell, fmt)],
      r.benchmark === null || r.benchmark === undefined ? NOT_AVAILABLE
        : ['< ', h('span', { 'data-api': k(r, 'benchmark'), class: 'num' }, percent(r.benchmark))]];
  });
  main.append(table(`Indicateurs de parcours et de fin de vie : ${what}`,
    ['Indicateur', 'Numérateur', 'Dénominateur', 'Valeur (médiane ou part)', 'Intervalle (quartiles ou IC 95 %)', 'Référence (Earle)'],
    rows, 'tableau-parcours'),
    maskLegend(data.min_cell),
    h('p', { class: 'download' }, h('a', { href: url('pathway', Object.assign({}, api, { format: 'csv' })), download: 'parcours.csv', id: 'pw-csv' },
      'Télécharger les indicateurs (CSV)')));
}
