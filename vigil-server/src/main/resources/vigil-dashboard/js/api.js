// Calls to the Vigil API with the bearer token kept in sessionStorage (never a cookie, never a URL).
const KEY = 'vigil.token';
const GET_TIMEOUT_MS = 20000;
let unauthorized = () => {};

/** An API answer that was not 2xx, with the server's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() { return sessionStorage.getItem(KEY); }
export function setToken(t) { sessionStorage.setItem(KEY, t); }
export function clearToken() { sessionStorage.removeItem(KEY); }

/** Called whenever the server answers 401: the token is gone or revoked. */
export function onUnauthorized(fn) { unauthorized = fn; }

export function authHeaders(extra = {}) {
  return { Authorization: 'Bearer ' + (token() || ''), ...extra };
}

/** Sends a request and returns the parsed JSON body; throws ApiError for any non-2xx answer. */
export async function call(method, path, body) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, cache: 'no-store', credentials: 'omit',
    signal: method === 'GET' ? AbortSignal.timeout(GET_TIMEOUT_MS) : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) data = await res.json();
  if (res.status === 401) {
    unauthorized();
    throw new ApiError(401, 'unauthorized', data?.error?.message || 'unauthorized');
  }
  if (!res.ok) {
    throw new ApiError(res.status, data?.error?.code || 'error_' + res.status, data?.error?.message || res.statusText);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);

/** Whether an error means the feature behind the route is off (or not built into this server). */
export function isNotEnabled(err) {
  return err instanceof ApiError && (err.status === 404 || err.status === 409 || err.status === 501
    || err.code === 'not_enabled');
}

/**
 * The API's routes and the role each needs (from its OpenAPI description), so panels of absent features
 * never call them and a token never calls what its role may not use. The caller's roles come from
 * `/api/whoami`: the roles whose routes its token may use.
 */
export class Routes {
  constructor(doc, roles) {
    this.paths = doc?.paths || {};
    this.roles = roles || [];
  }
  has(method, path) {
    return Boolean(this.paths[path]?.[method.toLowerCase()]);
  }
  /** Whether the route exists and the caller's roles include the one it needs. */
  allows(method, path) {
    const needed = this.paths[path]?.[method.toLowerCase()]?.['x-vigil-role'];
    return needed !== undefined && (needed === 'public' || this.roles.includes(needed));
  }
}
