// app.js - the dashboard's entry (an ES module, loaded by index.html): the session shown in the
// header (Connexion, or the user's name and role with Se déconnecter), the hash routes
// (#/, #/survie, #/carte, #/parcours, #/connexion, #/audit) with their query (#/survie?site=lung),
// the active nav link, the admin-only link, and focus moved to the page's heading on a change.
import { h, errorBox, announce } from './js/dom.js';
import { session, loadSession, logout } from './js/api.js';
import { ROLE_NAME } from './js/sites.js';
import * as overview from './js/overview.js';
import * as survie from './js/survie.js';
import * as carte from './js/carte.js';
import * as parcours from './js/parcours.js';
import * as connexion from './js/connexion.js';
import * as audit from './js/audit.js';

const ROUTES = { '/': overview, '/survie': survie, '/carte': carte, '/parcours': parcours,
                 '/connexion': connexion, '/audit': audit };

// "#/survie?site=lung" -> {path: "/survie", params: URLSearchParams}
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q] = raw.split('?');
  return { path: path || '/', params: new URLSearchParams(q || '') };
}

// Navigate to a route with its parameters (used by the forms)
export function go(path, params) {
  const q = params ? new URLSearchParams(params).toString() : '';
  const target = '#' + path + (q ? '?' + q : '');
  if (location.hash === target) render(); else location.hash = target;
}

function renderAccount() {
  const box = document.getElementById('compte');
  box.replaceChildren();
  if (session.user) {
    box.append(
      h('span', { class: 'who', 'data-testid': 'utilisateur' },
        h('span', { class: 'user' }, session.user), ' (',
        h('span', { class: 'role' }, ROLE_NAME[session.role] || session.role), ')'),
      h('button', { type: 'button', id: 'deconnexion', onclick: onLogout }, 'Se déconnecter'));
  } else {
    box.append(h('a', { href: '#/connexion', id: 'lien-connexion' }, 'Connexion'));
  }
  for (const li of document.querySelectorAll('.admin-only')) li.hidden = session.role !== 'admin';
}

async function onLogout() {
  try {
    await logout();
  } catch (e) {
    announce('Déconnexion impossible : ' + e.message);
    return;
  }
  renderAccount();
  announce('Vous êtes déconnecté.');
  go('/');
}

let generation = 0;

async function render() {
  const { path, params } = parseHash();
  const page = ROUTES[path];
  const main = document.getElementById('contenu');
  const mine = ++generation;
  for (const a of document.querySelectorAll('#menu a')) {
    if (a.dataset.route === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const active = document.activeElement;
  const focusId = active && main.contains(active) ? active.id : '';
  const focusMain = active && active !== document.body && !main.contains(active);
  main.replaceChildren();
  delete main.dataset.ready;
  main.setAttribute('aria-busy', 'true');
  try {
    if (!page) {
      main.append(h('h1', null, 'Page introuvable'),
                  h('p', null, 'Cette adresse ne correspond à aucune page. ', h('a', { href: '#/' }, "Retour à la vue d'ensemble")));
      document.title = 'Page introuvable — pronostic';
    } else {
      await page.render(main, params, { go, session, refreshAccount: renderAccount, stale: () => mine !== generation });
      if (mine !== generation) return;
      document.title = (page.TITLE || 'Tableau de bord') + ' — pronostic';
    }
  } catch (e) {
    if (mine !== generation) return;
    main.append(errorBox(e));
  } finally {
    if (mine === generation) {
      main.removeAttribute('aria-busy');
      main.dataset.ready = path;
    }
  }
  if (mine !== generation) return;
  // a form's control keeps the focus across the re-rendering of its page; a nav link's click
  // moves it to the page
  const again = focusId && document.getElementById(focusId);
  if (again && main.contains(again)) again.focus();
  else if (focusMain || focusId) main.focus();
}

async function start() {
  await loadSession();
  renderAccount();
  window.addEventListener('hashchange', render);
  await render();
}

start();
