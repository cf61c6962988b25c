// api.js - calls of the JSON API (same origin): GET with query parameters, the session
// (GET /api/v1/session, login, logout with its X-CSRF-Token), and the API's errors as thrown
// ApiError (status, parameter, message, retryAfter).

export class ApiError extends Error {
  constructor(status, message, parameter, retryAfter) {
    super(message);
    this.status = status;
    this.parameter = parameter;
    this.retryAfter = retryAfter;
  }
}

// A query string of the non-empty parameters, in the given order
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

async function parse(resp) {
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const e = body && body.error ? body.error : {};
    const retry = resp.headers.get('Retry-After');
    throw new ApiError(resp.status, e.message || `HTTP ${resp.status}`, e.parameter,
                       retry ? Number(retry) : undefined);
  }
  return body;
}

// GET /api/v1/PATH?params -> the decoded JSON (throws ApiError)
export async function get(path, params) {
  const resp = await fetch('/api/v1/' + path + query(params || {}), {
    credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return parse(resp);
}

// The URL of a resource of the API (an image, a CSV download)
export function url(path, params) { return '/api/v1/' + path + query(params || {}); }

// The session: {user, role, csrf}; kept here for the pages
export const session = { user: null, role: 'public', csrf: null };

export async function loadSession() {
  try {
    Object.assign(session, await get('session'));
  } catch (e) {
    Object.assign(session, { user: null, role: 'public', csrf: null });
  }
  return session;
}

export async function login(user, password) {
  const resp = await fetch('/api/v1/login', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user, password }) });
  Object.assign(session, await parse(resp));
  return session;
}

export async function logout() {
  const resp = await fetch('/api/v1/logout', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'X-CSRF-Token': session.csrf || '', Accept: 'application/json' } });
  if (!resp.ok && resp.status !== 401) await parse(resp);
  Object.assign(session, { user: null, role: 'public', csrf: null });
}
