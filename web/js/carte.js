// carte.js - the page #/carte: a map of France drawn by the server (<img> of /api/v1/map.svg)
// for a measure chosen in a select: a survival measure by region (net_std_5y, ...) or a
// care-pathway indicator (pathway:INDICATOR) by département or region; the table of the areas
// (GET /api/v1/map) and the CSV download.
import { h, num, table, select, maskLegend } from './dom.js';
import { get, url } from './api.js';
import { SITES, SITE_NAME, SURV_MEASURES, INDICATORS, indicatorKind } from './sites.js';
import { percent, count, days } from './format.js';

export const TITLE = 'Carte';

function measures() {
  return [...SURV_MEASURES,
          ...Object.keys(INDICATORS).map((k) => ['pathway:' + k, 'Parcours : ' + INDICATORS[k][0]])];
}

const LEVELS = [['region', 'Région'], ['departement', 'Département']];
const ALL_SITES = [['', 'Toutes les localisations'], ...SITES];

// the options of a select replaced, keeping its value when it is still offered
function setOptions(sel, options, keep) {
  sel.replaceChildren(...options.map(([v, t]) => h('option', { value: v }, t)));
  sel.value = options.some(([v]) => v === keep) ? keep : options[0][0];
}

function form(params, ctx) {
  const isPathway = params.measure.startsWith('pathway:');
  const sites = isPathway ? ALL_SITES : SITES;
  const levels = isPathway ? LEVELS : LEVELS.slice(0, 1);
  const f = h('form', { class: 'query', id: 'form-carte', 'aria-label': 'Choix de la carte' },
    select('carte-measure', 'Indicateur', measures(), params.measure),
    select('carte-site', 'Localisation', sites, params.site),
    select('carte-level', 'Découpage', levels, params.level),
    h('button', { type: 'submit', class: 'primary', id: 'carte-submit' }, 'Afficher'));
  const send = () => {
    const p = { measure: f.elements['carte-measure'].value };
    const pw = p.measure.startsWith('pathway:');
    const site = f.elements['carte-site'].value;
    p.site = site || (pw ? '' : 'pancreas');
    if (!p.site) delete p.site;
    p.level = pw ? f.elements['carte-level'].value : 'region';
    ctx.go('/carte', p);
  };
  f.addEventListener('submit', (ev) => { ev.preventDefault(); send(); });
  // a survival measure is by region and needs a site; an indicator may be by département and
  // for every site
  f.elements['carte-measure'].addEventListener('change', () => {
    const pw = f.elements['carte-measure'].value.startsWith('pathway:');
    setOptions(f.elements['carte-site'], pw ? ALL_SITES : SITES, f.elements['carte-site'].value);
    setOptions(f.elements['carte-level'], pw ? LEVELS : LEVELS.slice(0, 1), f.elements['carte-level'].value);
  });
  return f;
}

export async function render(main, qp, ctx) {
  const measure = qp.get('measure') || 'net_std_5y';
  const isPathway = measure.startsWith('pathway:');
  const params = { measure, site: qp.get('site') || (isPathway ? '' : 'pancreas'),
                   level: isPathway ? (qp.get('level') || 'region') : 'region' };
  main.append(h('h1', null, 'Carte de France'),
    h('p', { class: 'lead' }, 'Une mesure par région (survie) ou par région ou département (indicateurs de parcours). ',
      'Changez l\'indicateur puis validez avec « Afficher ».'),
    form(params, ctx));
  const api = { measure: params.measure, site: params.site, level: params.level };
  const data = await get('map', api);
  if (ctx.stale()) return;
  const label = measures().find((m) => m[0] === data.measure);
  const site = data.site && data.site !== 'all' ? SITE_NAME[data.site] || data.site : 'toutes localisations';
  const what = `${label ? label[1] : data.measure}, ${site}${data.period ? ', diagnostics ' + data.period : ''}, par ${data.level === 'departement' ? 'département' : 'région'}`;
  const fmt = isPathway && indicatorKind(measure.slice(8)) === 'delay' ? days : percent;
  main.append(h('h2', null, what),
    h('figure', { class: 'figure' },
      h('img', { src: url('map.svg', api), id: 'carte-img', width: 640, height: 640,
                 alt: `Carte de France : ${what} ; les valeurs sont dans le tableau qui suit.` }),
      h('figcaption', null, 'Carte produite par le serveur ; les zones grisées n\'ont pas de valeur publiable.')));
  const k = (a, f) => `map:${a.code}:${f}`;
  main.append(table(`${what} : valeurs par zone`,
    [data.level === 'departement' ? 'Département' : 'Région', 'Code', fmt === days ? 'Médiane' : 'Valeur',
     fmt === days ? '1er quartile' : 'Borne basse (IC 95 %)', fmt === days ? '3e quartile' : 'Borne haute (IC 95 %)', 'Patients'],
    data.areas.map((a) => [{ th: a.name }, a.code,
      num(a.estimate, k(a, 'estimate'), a.suppressed, data.min_cell, fmt),
      num(a.lower, k(a, 'lower'), a.suppressed, data.min_cell, fmt),
      num(a.upper, k(a, 'upper'), a.suppressed, data.min_cell, fmt),
      num(a.n, k(a, 'n'), a.suppressed, data.min_cell, count)]), 'tableau-carte'),
    maskLegend(data.min_cell),
    h('p', { class: 'download' }, h('a', { href: url('map', Object.assign({}, api, { format: 'csv' })), download: 'carte.csv', id: 'carte-csv' },
      'Télécharger les valeurs (CSV)')));
}
