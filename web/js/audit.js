// audit.js - the page #/audit (administrators only; the nav link is shown only to them): the
// latest 100 rows of the audit table (GET /api/v1/audit?limit=100): when, who, what, how many rows.
import { h, num, table } from './dom.js';
import { get } from './api.js';
import { count, datetime } from './format.js';

export const TITLE = "Journal d'audit";

export async function render(main, qp, ctx) {
  main.append(h('h1', null, "Journal d'audit"));
  if (ctx.session.role !== 'admin') {
    main.append(h('p', { class: 'notice', id: 'audit-refus' }, 'Cette page est réservée aux administrateurs. ',
      ctx.session.user ? '' : h('a', { href: '#/connexion' }, 'Se connecter')));
    return;
  }
  const data = await get('audit', { limit: 100 });
  if (ctx.stale()) return;
  main.append(h('p', { class: 'lead' }, 'Les 100 dernières opérations tracées : lectures de données individuelles, ',
    'chiffres sans secret statistique, connexions et comptes.'),
    table("Journal d'audit (plus récent en premier)", ['N°', 'Date (UTC)', 'Qui', 'Action', 'Lignes', 'Détail'],
      data.rows.map((r) => [{ th: String(r.id) }, datetime(r.at), r.who, r.action,
        r.rows === null || r.rows === undefined ? '–' : num(r.rows, `audit:${r.id}:rows`, '', 0, count), r.detail || '']),
      'tableau-audit'));
}
