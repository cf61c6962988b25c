// connexion.js - the page #/connexion: the login form (POST /api/v1/login), its errors (401:
// wrong name or password; 429: too many attempts, with the wait of Retry-After), then the
// header shows the user and the page goes to the overview. Signed in, it says who is.
import { h, input, announce } from './dom.js';
import { login } from './api.js';
import { ROLE_NAME } from './sites.js';

export const TITLE = 'Connexion';

export async function render(main, qp, ctx) {
  main.append(h('h1', null, 'Connexion'));
  if (ctx.session.user) {
    main.append(h('p', null, `Vous êtes connecté en tant que ${ctx.session.user} (${ROLE_NAME[ctx.session.role] || ctx.session.role}).`));
    return;
  }
  const msg = h('div', { id: 'login-message', role: 'alert' });
  const f = h('form', { class: 'query', id: 'form-connexion', 'aria-describedby': 'login-aide' },
    input('login-user', 'Identifiant', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    input('login-password', 'Mot de passe', { type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Se connecter'));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const button = f.elements['login-submit'];
    button.disabled = true;
    try {
      await login(f.elements['login-user'].value, f.elements['login-password'].value);
      ctx.refreshAccount();
      announce(`Connecté en tant que ${ctx.session.user}.`);
      ctx.go('/');
      document.getElementById('contenu').focus();
    } catch (e) {
      let text;
      if (e.status === 401) text = 'Identifiant ou mot de passe incorrect.';
      else if (e.status === 429) text = `Trop de tentatives : réessayez dans ${e.retryAfter || 'quelques'} secondes.`;
      else text = `Connexion impossible : ${e.message}`;
      msg.append(h('p', { class: 'error' }, text));
      f.elements['login-password'].value = '';
      f.elements['login-password'].focus();
    } finally {
      button.disabled = false;
    }
  });
  main.append(h('p', { id: 'login-aide' }, 'Les chercheurs, analystes et administrateurs se connectent avec leur compte. ',
    'Sans compte, les chiffres publics restent consultables.'), f, msg);
}
