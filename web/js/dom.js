// dom.js - small DOM helpers of the dashboard: element creation without innerHTML (every text
// goes through textContent, so nothing from the API is parsed as HTML), a figure carrying its
// data-api source path, tables with a caption and header cells, form fields with their labels.
import { figure } from './format.js';

// h('p', {class: 'x'}, 'text', child...) -> a new element (caller owns it)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A figure of the API: <span data-api="PATH"> with its French text; masked figures get the
// class "masked" (the legend explains them).
export function num(value, api, suppressed, minCell, fmt) {
  const masked = (value === null || value === undefined) && (suppressed === 'primary' || suppressed === 'secondary');
  return h('span', { 'data-api': api, class: masked ? 'num masked' : 'num' },
           figure(value, suppressed, minCell, fmt));
}

// A table: caption, column headers (scope col), rows of cells; a cell given as {th: x} is a
// row header (scope row). Returns the <table> inside a scrollable region named by the caption.
export function table(caption, headers, rows, id) {
  const capId = (id || 'tbl') + '-caption';
  const t = h('table', { id },
    h('caption', { id: capId }, caption),
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) =>
      c && typeof c === 'object' && !(c instanceof Node) && 'th' in c
        ? h('th', { scope: 'row' }, c.th) : h('td', null, c))))));
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': capId, tabindex: '0' }, t);
}

// A labelled select: options [[value, text], ...]
export function select(id, label, options, current) {
  const s = h('select', { id, name: id },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(current) }, text)));
  return h('div', { class: 'field' }, h('label', { for: id }, label), s);
}

// A labelled input
export function input(id, label, attrs) {
  return h('div', { class: 'field' }, h('label', { for: id }, label),
           h('input', Object.assign({ id, name: id }, attrs)));
}

// The non-empty values of a form's controls: pairs [[param, control id], ...] -> {param: value}
export function formValues(f, pairs) {
  const p = {};
  for (const [k, id] of pairs) if (f.elements[id].value) p[k] = f.elements[id].value;
  return p;
}

// The legend of masked figures
export function maskLegend(minCell) {
  return h('p', { class: 'legend' },
    h('strong', null, 'Secret statistique : '),
    `« <\u00a0${minCell} » marque une valeur masquée parce qu'elle repose sur moins de ${minCell} patients ; `,
    '« s » marque une valeur masquée pour qu\'on ne puisse pas retrouver une autre valeur masquée (masquage secondaire) ; ',
    '« – » : valeur non disponible (suivi trop court ou non calculable).');
}

// A message in the page's live region
export function announce(text) {
  const live = document.getElementById('statut');
  if (live) live.textContent = text;
}

// An error block
export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' }, 'Erreur : ', err.message || String(err));
}
