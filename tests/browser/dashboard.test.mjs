// dashboard.test.mjs - browser tests of the dashboard (run by tests/browser/run.sh against the real
// `pronostic serve`): every page opens without a script error or CSP violation; every figure
// shown (each element with data-api) equals the API's value for the same parameters, fetched
// here and formatted by this file's own French formatter (not the page's); the right period on
// the overview; images and CSV downloads load; login by the keyboard, the user's name and role in
// the header, a wrong password refused; the audit page only for an admin (a public visitor and a
// researcher neither see its link nor get its rows); keyboard navigation (skip link, Tab order of
// the nav links and of each form's controls, Enter follows a link and submits a form, a visible
// focus ring); a screenshot of every page in $PN_SCREENSHOTS. Exits 1 on any failure.
// Env: PN_URL, PN_BROWSER_MODULES (where node_modules/playwright-core is), PN_CHROMIUM,
// PN_SCREENSHOTS, PN_TEST_ADMIN(_PASSWORD), PN_TEST_RESEARCHER(_PASSWORD).
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const env = (k) => {
  const v = process.env[k];
  if (!v) { console.error(`dashboard.test: ${k} is not set (run tests/browser/run.sh)`); process.exit(1); }
  return v;
};
const BASE = env('PN_URL');
const require = createRequire(path.join(env('PN_BROWSER_MODULES'), 'package.json'));
const { chromium } = require('playwright-core');
const SHOTS = env('PN_SCREENSHOTS');
const ADMIN = [env('PN_TEST_ADMIN'), env('PN_TEST_ADMIN_PASSWORD')];
const RESEARCHER = [env('PN_TEST_RESEARCHER'), env('PN_TEST_RESEARCHER_PASSWORD')];
const YEAR_DAYS = 365.241;
const TIMEOUT = 30000;

// ---- checks: failures are counted, each test goes on after one --------------------------------
let failures = 0;
let checks = 0;
function fail(msg) { failures++; console.error('FAIL: ' + msg); }
function ok(cond, msg) { checks++; if (!cond) fail(msg); return cond; }
function eq(got, want, msg) {
  checks++;
  if (got !== want) fail(`${msg}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

// ---- this test's own French formats (the page uses Intl.NumberFormat('fr-FR')) ----------------
const NBSP = '\u00a0', NNBSP = '\u202f';
const group3 = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
const frPercent = (x) => (x * 100).toFixed(1).replace('.', ',') + NBSP + '%';
const frCount = (x) => (x < 0 ? '-' : '') + group3(String(Math.round(Math.abs(x))));
const frPoints = (x) => (x < 0 || Object.is(x, -0) ? '-' : '+') + Math.abs(x * 100).toFixed(2).replace('.', ',');
const frP = (x) => (x < 0.001 ? '<' + NBSP + '0,001' : x.toFixed(3).replace('.', ','));
const frDays = (x) => group3(String(Math.round(x))) + NBSP + 'j';
const frDate = (iso) => iso.replace(/^(\d{4})-(\d{2})-(\d{2}).*$/, '$3/$2/$1');
// a possibly masked figure: null -> "< K" (primary), "s" (secondary), "–" (not computed)
function expectText(value, suppressed, minCell, fmt) {
  if (value === null || value === undefined) {
    if (suppressed === 'primary') return '<' + NBSP + minCell;
    if (suppressed === 'secondary') return 's';
    return '–';
  }
  return fmt(value);
}
const DELAYS = /^(imaging_to_diagnosis|diagnosis_to_treatment|imaging_to_treatment)$/;
const SITES = ['pancreas', 'oesophagus', 'liver', 'lung', 'cns', 'ovary', 'aml'];

// ---- page helpers -----------------------------------------------------------------------------
// script errors, CSP violations (console errors) and failed requests of a page; the failed
// loads the browser logs are judged by their response instead: a static file must load, an API
// call may fail only where the test provokes it (a wrong password, the audit without admin)
function watch(page, label) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`${label}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${label}: script error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || '')) errors.push(`${label}: request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const u = new URL(r.url());
    const expected = (u.pathname === '/api/v1/login' && r.status() === 401) ||
                     (u.pathname === '/api/v1/audit' && [401, 403].includes(r.status()));
    if (!expected) errors.push(`${label}: ${r.status()} for ${u.pathname}${u.search}`);
  });
  return errors;
}

// open a hash route and wait until its page is rendered (main[data-ready])
async function open(page, route) {
  await page.goto(BASE + '/#' + route);
  await waitReady(page, route.split('?')[0]);
}
async function waitReady(page, routePath) {
  await page.waitForSelector(`main[data-ready="${routePath}"]`, { timeout: TIMEOUT });
  const err = await page.$('main .error');
  if (err) fail(`${routePath}: the page shows an error: ${await err.textContent()}`);
}

// the API's JSON, fetched from the page (its session cookie), with the given parameters
async function api(page, endpoint, params) {
  return page.evaluate(async ([ep, p]) => {
    const q = new URLSearchParams(p).toString();
    const r = await fetch('/api/v1/' + ep + (q ? '?' + q : ''), { headers: { Accept: 'application/json' } });
    return { status: r.status, type: r.headers.get('Content-Type'), body: r.ok ? await r.json() : await r.text() };
  }, [endpoint, params || {}]);
}
async function apiOk(page, endpoint, params) {
  const r = await api(page, endpoint, params);
  if (!ok(r.status === 200, `GET /api/v1/${endpoint} ${JSON.stringify(params)}: status ${r.status} ${String(r.body).slice(0, 200)}`)) return null;
  return r.body;
}

// every [data-api] figure inside sel: [{api, text, years}]
async function figures(page, sel) {
  return page.$$eval(`${sel} [data-api]`, (els) => els.map((e) => ({ api: e.dataset.api, text: e.textContent, years: e.dataset.years })));
}

// an image of main loaded (decoded, not broken) and its URL gives the type
async function imageLoads(page, sel, type, what) {
  const img = await page.waitForSelector(sel, { timeout: TIMEOUT });
  await page.waitForFunction((s) => { const i = document.querySelector(s); return i && i.complete; }, sel, { timeout: TIMEOUT });
  const w = await img.evaluate((i) => i.naturalWidth);
  ok(w > 0, `${what}: the image ${await img.getAttribute('src')} did not load`);
  const src = await img.getAttribute('src');
  const r = await page.evaluate(async (u) => { const x = await fetch(u); return { s: x.status, t: x.headers.get('Content-Type') }; }, src);
  ok(r.s === 200 && (r.t || '').startsWith(type), `${what}: ${src}: status ${r.s}, type ${r.t}`);
  ok((await img.getAttribute('alt') || '').length > 10, `${what}: the image has no alternative text`);
  return src;
}

// a CSV link: same parameters as the JSON plus format=csv, answers CSV with a header row
async function csvLink(page, sel, endpoint, params, what) {
  const a = await page.$(sel);
  if (!ok(a !== null, `${what}: no CSV link ${sel}`)) return;
  const href = await a.getAttribute('href');
  const u = new URL(href, BASE);
  eq(u.pathname, '/api/v1/' + endpoint, `${what}: CSV link path`);
  const want = Object.assign({}, params, { format: 'csv' });
  eq(JSON.stringify(Object.fromEntries([...u.searchParams].sort())),
     JSON.stringify(Object.fromEntries(Object.entries(want).sort())), `${what}: CSV link parameters`);
  const r = await page.evaluate(async (h) => { const x = await fetch(h); return { s: x.status, t: x.headers.get('Content-Type'), b: await x.text() }; }, href);
  ok(r.s === 200 && /csv/.test(r.t || '') && r.b.split('\n').length > 2 && /^[a-z_]+(,[a-z_0-9]+)+\r?$/.test(r.b.split('\n')[0]),
     `${what}: the CSV download ${href}: status ${r.s}, type ${r.t}, start ${JSON.stringify(r.b.slice(0, 120))}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

// the legend of masked figures is on the page when one is shown
async function legendIfMasked(page, figs, what) {
  const masked = figs.filter((f) => f.text === 's' || f.text.startsWith('<' + NBSP));
  if (masked.length) {
    const legend = await page.textContent('main');
    ok(/secret statistique/i.test(legend), `${what}: masked figures without the legend « secret statistique »`);
  }
  return masked.length;
}

// ---- the pages --------------------------------------------------------------------------------
async function testOverview(page) {
  await open(page, '/');
  const rep = await apiOk(page, 'report');
  if (!rep) return;
  const figs = await figures(page, 'main');
  ok(figs.length >= 7 * 10, `overview: only ${figs.length} figures shown`);
  for (const f of figs) {
    const parts = f.api.split(':');
    if (parts[0] !== 'report') { fail(`overview: data-api ${f.api} is not a report field`); continue; }
    if (parts[1] === 'closing') { eq(f.text, frDate(rep.closing), 'overview: closing date'); continue; }
    const [, site, measure, horizon, period, field] = parts;
    const row = rep.rows.find((r) => r.site === site && r.measure === measure && String(r.horizon_years) === horizon &&
      (r.period || 'none') === period && r.sex === 'all' && !r.region);
    if (!ok(row !== undefined, `overview: ${f.api}: no such row in the report`)) continue;
    const fmt = ['n', 'events'].includes(field) ? frCount
      : measure === 'trend_per_year' ? frPoints : measure === 'trend_p' ? frP : frPercent;
    eq(f.text, expectText(row[field], row.suppressed, rep.min_cell, fmt), `overview: ${f.api}`);
  }
  // each site's card shows the latest period with a 5-year net_std (published or masked)
  for (const s of SITES) {
    const periods = rep.rows.filter((r) => r.site === s && r.measure === 'net_std' && r.horizon_years === 5 &&
      r.sex === 'all' && !r.region && r.period && (r.estimate !== null || r.suppressed)).map((r) => r.period).sort();
    const want = periods[periods.length - 1];
    const shown = await page.$$eval(`[data-site="${s}"] [data-api$=":estimate"]`, (els) => els.map((e) => e.dataset.api));
    ok(shown.some((a) => a === `report:${s}:net_std:5:${want}:estimate`),
       `overview: ${s}: the card does not show net_std 5 years of ${want} (shows ${shown.join(' ')})`);
    ok(shown.some((a) => a === `report:${s}:projection_2030:5:none:estimate`), `overview: ${s}: no 2030 projection`);
  }
  const cards = await page.$$('main .card');
  eq(cards.length, 7, 'overview: one card per site');
  const text = await page.textContent('main');
  for (const name of ['Pancréas', 'Œsophage', 'Foie', 'Poumon', 'Système nerveux central', 'Ovaire', 'Leucémie aiguë myéloïde']) {
    ok(text.includes(name), `overview: ${name} missing`);
  }
  ok(text.includes('33' + NBSP + '%') || text.includes('33 %'), 'overview: the 33 % line is not mentioned');
  await legendIfMasked(page, figs, 'overview');
  await shot(page, 'vue-ensemble');
  console.log(`overview: ${figs.length} figures compared with /api/v1/report`);
}

// fill a page's form (control #PREFIX-NAME for each parameter NAME, a select or an input) with
// params, submit it by its button, wait for the new page; returns the non-empty parameters
async function submitForm(page, route, prefix, params) {
  await open(page, route);
  for (const [k, v] of Object.entries(params)) {
    const sel = `#${prefix}-${k}`;
    if (await page.$eval(sel, (e) => e.tagName) === 'SELECT') await page.selectOption(sel, v || '');
    else await page.fill(sel, v || '');
  }
  await page.click(`#${prefix}-submit`);
  await page.waitForFunction((r) => location.hash.startsWith('#' + r + '?'), route);
  await waitReady(page, route);
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v));
}

// the survival page for params, set through its form
async function testSurvival(page, params, shotName) {
  const apiParams = await submitForm(page, '/survie', 'surv', params);
  const data = await apiOk(page, 'surv', apiParams);
  if (!data) return;
  const what = `survie ${JSON.stringify(apiParams)}`;
  const figs = await figures(page, '#tableau-survie');
  ok(figs.length >= data.groups.length * 4, `${what}: ${figs.length} figures for ${data.groups.length} groups`);
  const byGroup = Object.fromEntries(data.groups.map((g) => [g.group, g]));
  for (const f of figs) {
    const parts = f.api.split(':');
    const field = parts.pop(), idx = Number(parts.pop()), group = parts.slice(1).join(':');
    const g = byGroup[group];
    if (!ok(g !== undefined && g.points[idx] !== undefined, `${what}: ${f.api}: no such point`)) continue;
    const p = g.points[idx];
    eq(f.text, expectText(p[field], p.suppressed, data.min_cell, field === 'n_risk' ? frCount : frPercent), `${what}: ${f.api}`);
    // the point is the curve's value at the row's time: its last point at or before it
    const t = Number(f.years) * YEAR_DAYS;
    ok(p.time <= t && (idx + 1 === g.points.length || g.points[idx + 1].time > t),
       `${what}: ${f.api} is not the curve's point at ${f.years} years (time ${p.time})`);
  }
  for (const g of data.groups) {
    const n = await page.$(`[data-api="surv:${g.group}:n"]`);
    if (ok(n !== null, `${what}: group ${g.group} not in the table`)) {
      // a group's masked counts (curvepub.h): n only under k (primary); events secondary when a
      // point's count is masked, else primary
      const st = (field) => g[field + '_suppressed'] ||
        (field === 'n' || g.n === null ? 'primary' : g.points.some((p) => p.suppressed) ? 'secondary' : 'primary');
      eq(await n.textContent(), expectText(g.n, st('n'), data.min_cell, frCount), `${what}: n of ${g.group}`);
      const ev = await page.$(`[data-api="surv:${g.group}:events"]`);
      if (ok(ev !== null, `${what}: events of ${g.group} not shown`)) {
        eq(await ev.textContent(), expectText(g.events, st('events'), data.min_cell, frCount), `${what}: events of ${g.group}`);
      }
    }
  }
  ok(await page.textContent('[data-api="surv:closing"]') === frDate(data.closing), `${what}: closing date`);
  const src = await imageLoads(page, '#surv-img', 'image/svg+xml', what);
  const su = new URL(src, BASE);
  eq(su.pathname, '/api/v1/surv.svg', `${what}: image path`);
  eq(JSON.stringify(Object.fromEntries([...su.searchParams].sort())), JSON.stringify(Object.fromEntries(Object.entries(apiParams).sort())),
     `${what}: image parameters`);
  await csvLink(page, '#surv-csv', 'surv', apiParams, what);
  await legendIfMasked(page, figs, what);
  if (shotName) await shot(page, shotName);
  console.log(`${what}: ${figs.length} figures compared with /api/v1/surv`);
}

async function testMap(page, params, shotName) {
  const apiParams = await submitForm(page, '/carte', 'carte', params);
  const data = await apiOk(page, 'map', apiParams);
  if (!data) return;
  const what = `carte ${JSON.stringify(apiParams)}`;
  const delay = params.measure.startsWith('pathway:') && DELAYS.test(params.measure.slice(8));
  const figs = await figures(page, '#tableau-carte');
  ok(data.areas.length > 0, `${what}: the API gives no area`);
  eq(figs.length, data.areas.length * 4, `${what}: figures in the table`);
  const byCode = Object.fromEntries(data.areas.map((a) => [a.code, a]));
  for (const f of figs) {
    const [, code, field] = f.api.split(':');
    const a = byCode[code];
    if (!ok(a !== undefined, `${what}: ${f.api}: no such area`)) continue;
    eq(f.text, expectText(a[field], a.suppressed, data.min_cell, field === 'n' ? frCount : delay ? frDays : frPercent), `${what}: ${f.api}`);
  }
  const names = await page.$$eval('#tableau-carte tbody th', (els) => els.map((e) => e.textContent));
  eq(JSON.stringify(names), JSON.stringify(data.areas.map((a) => a.name)), `${what}: area names`);
  await imageLoads(page, '#carte-img', 'image/svg+xml', what);
  await csvLink(page, '#carte-csv', 'map', apiParams, what);
  await legendIfMasked(page, figs, what);
  if (shotName) await shot(page, shotName);
  console.log(`${what}: ${figs.length} figures compared with /api/v1/map`);
}

async function testPathway(page, params, shotName) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  await open(page, '/parcours' + (q ? '?' + q : ''));
  const apiParams = Object.fromEntries(Object.entries(params).filter(([, v]) => v));
  eq(await page.inputValue('#pw-site'), params.site || '', 'parcours: the form shows the site of the address');
  const data = await apiOk(page, 'pathway', apiParams);
  if (!data) return;
  const what = `parcours ${JSON.stringify(apiParams)}`;
  const figs = await figures(page, '#tableau-parcours');
  ok(data.rows.length > 10, `${what}: ${data.rows.length} rows from the API`);
  const rowsShown = await page.$$eval('#tableau-parcours tbody tr', (els) => els.length);
  eq(rowsShown, data.rows.length, `${what}: one table row per API row`);
  const index = new Map(data.rows.map((r) => [`${r.indicator}:${r.site}:${r.group}`, r]));
  let benchmarks = 0;
  for (const f of figs) {
    const parts = f.api.split(':');
    const field = parts.pop();
    const r = index.get(parts.slice(1).join(':'));
    if (!ok(r !== undefined, `${what}: ${f.api}: no such row`)) continue;
    const fmt = ['numerator', 'denominator'].includes(field) ? frCount
      : field === 'benchmark' || !DELAYS.test(r.indicator) ? frPercent : frDays;
    if (field === 'benchmark') benchmarks++;
    eq(f.text, expectText(r[field], r.suppressed, data.min_cell, fmt), `${what}: ${f.api}`);
  }
  eq(benchmarks, data.rows.filter((r) => r.benchmark !== null && r.benchmark !== undefined).length, `${what}: benchmarks shown`);
  await csvLink(page, '#pw-csv', 'pathway', apiParams, what);
  await legendIfMasked(page, figs, what);
  if (shotName) await shot(page, shotName);
  console.log(`${what}: ${figs.length} figures compared with /api/v1/pathway`);
}

// ---- session, roles ---------------------------------------------------------------------------
async function auditHidden(page, who) {
  await open(page, '/');
  ok(!(await page.isVisible('#menu a[href="#/audit"]')), `${who}: the audit link is visible`);
  await open(page, '/audit');
  ok(await page.$('#tableau-audit') === null, `${who}: #/audit shows the audit table`);
  ok(await page.$('#audit-refus') !== null, `${who}: #/audit does not say it is for administrators`);
  const r = await api(page, 'audit', { limit: 100 });
  ok(r.status === 401 || r.status === 403, `${who}: GET /api/v1/audit answered ${r.status}`);
}

// log in through the form with the keyboard only: Tab from the page's start to the fields
async function loginByKeyboard(page, [user, password]) {
  await open(page, '/connexion');
  await page.focus('#contenu');
  const order = [];
  for (let i = 0; i < 6 && order[order.length - 1] !== 'login-submit'; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement.id);
    order.push(id);
    if (id === 'login-user') await page.keyboard.type(user);
    if (id === 'login-password') await page.keyboard.type(password);
  }
  eq(order.join(','), 'login-user,login-password,login-submit', 'connexion: Tab order of the form');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#compte .user, #login-message .error', { timeout: TIMEOUT });
  const refused = await page.$('#login-message .error');
  if (refused) throw new Error(`login of ${user} refused: ${await refused.textContent()}`);
  await waitReady(page, '/');
}

async function testLogin(page, creds, role, roleText) {
  await loginByKeyboard(page, creds);
  eq(await page.textContent('#compte .user'), creds[0], `login ${creds[0]}: the header's user`);
  eq(await page.textContent('#compte .role'), roleText, `login ${creds[0]}: the header's role`);
  ok(await page.isVisible('#deconnexion'), `login ${creds[0]}: no « Se déconnecter » button`);
  const s = await apiOk(page, 'session');
  if (s) { eq(s.user, creds[0], 'session user'); eq(s.role, role, 'session role'); }
}

async function logoutByKeyboard(page) {
  await page.focus('#deconnexion');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#compte #lien-connexion', { timeout: TIMEOUT });
  const s = await apiOk(page, 'session');
  if (s) eq(s.user, null, 'after logout: session user');
}

async function testWrongPassword(page) {
  await open(page, '/connexion');
  await page.fill('#login-user', RESEARCHER[0]);
  await page.fill('#login-password', RESEARCHER[1] + 'x');
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('#login-message .error', { timeout: TIMEOUT });
  ok(/incorrect/.test(await page.textContent('#login-message')), 'wrong password: the message does not say so');
  ok(await page.$('#compte .user') === null, 'wrong password: a user is shown');
  await shot(page, 'connexion');
}

async function testAudit(page) {
  await open(page, '/');
  ok(await page.isVisible('#menu a[href="#/audit"]'), 'admin: the audit link is not visible');
  await page.click('#menu a[href="#/audit"]');
  await waitReady(page, '/audit');
  const data = await apiOk(page, 'audit', { limit: 100 });
  if (!data) return;
  ok(data.rows.length > 0, 'audit: empty (the logins should be there)');
  const ids = await page.$$eval('#tableau-audit tbody th', (els) => els.map((e) => e.textContent));
  eq(JSON.stringify(ids), JSON.stringify(data.rows.map((r) => String(r.id))), 'audit: the rows shown');
  for (const f of await figures(page, '#tableau-audit')) {
    const [, id, field] = f.api.split(':');
    const r = data.rows.find((x) => String(x.id) === id);
    if (ok(r !== undefined, `audit: ${f.api}: no such row`)) eq(f.text, frCount(r[field]), `audit: ${f.api}`);
  }
  await shot(page, 'audit');
}

// ---- keyboard, focus --------------------------------------------------------------------------
async function focusVisible(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
  });
}

async function testKeyboard(page) {
  await open(page, '/');
  await page.focus('body');
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.className), 'skip-link', 'keyboard: the first Tab stop is the skip link');
  ok(await page.isVisible('.skip-link') && await focusVisible(page), 'keyboard: the focused skip link is not visible');
  await page.keyboard.press('Enter');
  eq(await page.evaluate(() => document.activeElement.id), 'contenu', 'keyboard: the skip link does not move the focus to main');
  // from the top: Tab through the header and the nav, in order, each with a visible focus
  await page.focus('body');
  const navHrefs = await page.$$eval('#menu a', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.getAttribute('href')));
  const seen = [];
  for (let i = 0; i < 12 && seen.length < navHrefs.length; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => ({ nav: !!document.activeElement.closest('#menu'), href: document.activeElement.getAttribute('href') }));
    if (info.nav) {
      seen.push(info.href);
      ok(await focusVisible(page), `keyboard: no visible focus on the nav link ${info.href}`);
    }
  }
  eq(seen.join(' '), navHrefs.join(' '), 'keyboard: Tab reaches the nav links in order');
  // Enter on the focused link (the last one reached) follows it; the focus goes to the page
  const target = seen[seen.length - 1];
  await page.keyboard.press('Enter');
  await waitReady(page, target.slice(1).split('?')[0]);
  eq(await page.evaluate(() => location.hash), target, 'keyboard: Enter on a nav link');
  eq(await page.evaluate(() => document.activeElement.id), 'contenu', 'keyboard: the focus is not on the new page');
  eq(await page.getAttribute(`#menu a[href="${target}"]`, 'aria-current'), 'page', 'keyboard: the current page is not marked');

  // the survival form: Tab order of its controls, a select changed by the arrows, Enter submits
  await open(page, '/survie');
  await page.focus('#contenu');
  const ids = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    ids.push(await page.evaluate(() => document.activeElement.id));
    ok(await focusVisible(page), `keyboard: no visible focus on #${ids[i]}`);
  }
  eq(ids.join(','), 'surv-site,surv-by,surv-from,surv-to,surv-submit', 'keyboard: Tab order of the survival form');
  await page.focus('#surv-by');
  const before = await page.inputValue('#surv-by');
  await page.keyboard.press('ArrowDown');
  const after = await page.inputValue('#surv-by');
  ok(before !== after, 'keyboard: ArrowDown does not change the comparison');
  await page.focus('#surv-submit');
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => location.hash.includes('by=' + b), after, { timeout: TIMEOUT });
  await waitReady(page, '/survie');
  eq(await page.inputValue('#surv-by'), after, 'keyboard: the submitted comparison is kept in the form');
  // the map and pathway forms: every control has a label, and is reached by Tab
  for (const [route, formSel] of [['/carte', '#form-carte'], ['/parcours', '#form-parcours'], ['/survie', '#form-survie']]) {
    await open(page, route);
    const unlabelled = await page.$$eval(`${formSel} input, ${formSel} select`, (els) =>
      els.filter((e) => !e.labels || e.labels.length === 0 || !e.labels[0].textContent.trim()).map((e) => e.id));
    eq(unlabelled.join(','), '', `${route}: controls without a label`);
    const controls = await page.$$eval(`${formSel} input, ${formSel} select, ${formSel} button`, (els) => els.map((e) => e.id));
    await page.focus('#contenu');
    const reached = [];
    for (let i = 0; i < controls.length; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement.id));
    }
    eq(reached.join(','), controls.join(','), `${route}: Tab order of the form`);
  }
}

// the page's structure: landmarks, lang, table captions and header scopes
async function testStructure(page) {
  for (const route of ['/', '/survie', '/carte', '/parcours', '/connexion']) {
    await open(page, route);
    const s = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      header: document.querySelectorAll('header').length, nav: document.querySelectorAll('nav').length,
      main: document.querySelectorAll('main').length, footer: document.querySelectorAll('footer').length,
      h1: document.querySelectorAll('main h1').length,
      tables: document.querySelectorAll('main table').length,
      noCaption: [...document.querySelectorAll('main table')].filter((t) => !t.caption || !t.caption.textContent.trim()).length,
      noScope: [...document.querySelectorAll('main th')].filter((t) => !['col', 'row'].includes(t.getAttribute('scope'))).length,
      title: document.querySelector('header').textContent,
      inlineStyle: document.querySelectorAll('[style]').length,
      inlineScript: [...document.querySelectorAll('script')].filter((x) => !x.src).length,
    }));
    eq(s.lang, 'fr', `${route}: lang`);
    ok(s.header === 1 && s.nav === 1 && s.main === 1 && s.footer === 1, `${route}: landmarks ${JSON.stringify(s)}`);
    eq(s.h1, 1, `${route}: one h1`);
    eq(s.noCaption, 0, `${route}: tables without caption`);
    eq(s.noScope, 0, `${route}: th without scope`);
    ok(s.title.includes('pronostic — cancers de mauvais pronostic'), `${route}: the programme's name is not in the header`);
    eq(s.inlineStyle + s.inlineScript, 0, `${route}: inline style or script`);
    if (route !== '/connexion') ok(s.tables > 0, `${route}: no table`);
  }
}

// ---- main -------------------------------------------------------------------------------------
const browser = await chromium.launch({ executablePath: env('PN_CHROMIUM'), headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'] });
async function fresh(label) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errs = watch(page, label);
  return { context, page, errs };
}
const steps = [];
async function step(name, fn) {
  const { context, page, errs } = await fresh(name);
  try {
    await fn(page);
  } catch (e) {
    fail(`${name}: ${e.stack || e}`);
    try { await shot(page, 'echec-' + name.replace(/[^a-z0-9]+/gi, '-')); } catch (e2) { /* the page is gone */ }
  }
  for (const e of errs) fail(e);
  steps.push(name);
  await context.close();
}

try {
  fs.mkdirSync(SHOTS, { recursive: true });
  await step('public', async (page) => {
    await open(page, '/');
    ok(await page.isVisible('#lien-connexion'), 'public: no « Connexion » link');
    await auditHidden(page, 'public');
    await testOverview(page);
    await testSurvival(page, { site: 'lung', by: 'sex' }, 'survie');
    await testSurvival(page, { site: 'pancreas', by: 'period', from: '', to: '' });
    await testMap(page, { measure: 'net_std_5y', site: 'lung', level: 'region' }, 'carte');
    await testPathway(page, { site: 'lung' }, 'parcours');
    await testPathway(page, { site: '' });
  });
  await step('structure', testStructure);
  await step('keyboard', testKeyboard);
  await step('wrong-password', testWrongPassword);
  await step('researcher', async (page) => {
    await testLogin(page, RESEARCHER, 'researcher', 'chercheur');
    await auditHidden(page, 'researcher');
    await testMap(page, { measure: 'pathway:diagnosis_to_treatment', site: '', level: 'departement' }, 'carte-departements');
    await testSurvival(page, { site: 'ovary', by: 'region', from: '2010', to: '2019' });
    await logoutByKeyboard(page);
  });
  await step('admin', async (page) => {
    await testLogin(page, ADMIN, 'admin', 'administrateur');
    await shot(page, 'vue-ensemble-admin');
    await testAudit(page);
    await logoutByKeyboard(page);
    await open(page, '/');
    ok(!(await page.isVisible('#menu a[href="#/audit"]')), 'after logout: the audit link is still visible');
  });
} finally {
  await browser.close();
}
console.log(`dashboard.test: ${checks} checks in ${steps.length} steps, ${failures} failure(s); screenshots in ${SHOTS}`);
process.exit(failures === 0 && steps.length === 6 ? 0 : 1);
