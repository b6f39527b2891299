/**
 * Authentication and authorization for every API route, before the body is read: who is asking
 * (Bearer API token, else the session cookie), whether a cookie-authenticated write carries the
 * session's CSRF token, and whether the route's rule in policy.ts lets this user through.
 * Static client files and unknown URLs are not API routes and stay public.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { HttpError } from '../errors.js';
import { findCollection, COLLECTIONS } from '../collections/registry.js';
import type { Actor } from '../audit/log.js';
import { canActOnNotices, canChangeSetting, canIssueNotices, canReadFullAudit, canWrite, NOTICE_ISSUERS, PHOTO_UPLOADERS, ROLES, routeRule, writableCollections, type AccessRule } from './policy.js';
import { userOfSession, userOfToken } from './sessions.js';
import { signedInUser } from './signed-in-cache.js';
import { csrfTokenFor, sameSecret, sha256hex } from './secrets.js';
import type { SessionUser } from './users.js';

export const SESSION_COOKIE = 'remap_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null for an anonymous request. */
    user: SessionUser | null;
    /** The session id from the cookie, when the user came by cookie. */
    sessionId: string | undefined;
    authVia: 'session' | 'token' | null;
  }
  interface FastifyInstance {
    /** Every route as registered (method, URL pattern): the authorization matrix test reads it. */
    registeredRoutes: { method: string; url: string }[];
  }
}

export interface GuardOptions {
  db: Db;
  /** PUBLIC_READ=1: anonymous users may read the map data (the `public_read` setting does the same). */
  publicRead: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthorized = (message = 'sign in first (POST /api/auth/login), or send Authorization: Bearer <API token>') =>
  new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer realm="remap"' });

export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

export function actorOf(req: FastifyRequest): Actor {
  return { username: req.user?.username ?? null, role: req.user?.role ?? null };
}

/**
 * The `public_read` setting, read at most every PUBLIC_READ_TTL_MS per database: anonymous tile
 * requests would otherwise each cost a settings query. A change through this server applies at
 * once (forgetPublicRead); one made by another server process or psql within the TTL.
 */
const PUBLIC_READ_TTL_MS = 2_000;
const publicReadCache = new WeakMap<Db, { value: boolean; at: number }>();

export function forgetPublicRead(db: Db): void {
  publicReadCache.delete(db);
}

async function publicReadOn(db: Db, env: boolean): Promise<boolean> {
  if (env) return true;
  const cached = publicReadCache.get(db);
  if (cached && performance.now() - cached.at < PUBLIC_READ_TTL_MS) return cached.value;
  const { rows } = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'public_read'");
  const value = rows[0]?.value === true;
  publicReadCache.set(db, { value, at: performance.now() });
  return value;
}

/** Sets req.user from a Bearer token or the session cookie; a bad token is an error, a stale cookie is no one. */
async function authenticate(db: Db, req: FastifyRequest): Promise<HttpError | undefined> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return unauthorized('the Authorization header must be "Bearer <API token>" (create a token with POST /api/auth/tokens)');
    const user = await signedInUser(db, `token:${sha256hex(m[1])}`, () => userOfToken(db, m[1]));
    if (!user) return unauthorized('the API token is not valid: it is mistyped, or its user is disabled; create a new one with POST /api/auth/tokens');
    req.user = user;
    req.authVia = 'token';
    return undefined;
  }
  const sid = req.cookies?.[SESSION_COOKIE];
  if (sid) {
    const user = await signedInUser(db, `session:${sha256hex(sid)}`, () => userOfSession(db, sid));
    if (user) {
      req.user = user;
      req.sessionId = sid;
      req.authVia = 'session';
    }
  }
  return undefined;
}

function requireCsrf(req: FastifyRequest): void {
  if (req.authVia !== 'session' || SAFE_METHODS.has(req.method)) return;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenFor(req.sessionId!))) {
    throw forbidden(`a change made with the session cookie needs the X-CSRF-Token header set to the csrf_token from POST /api/auth/login or GET /api/auth/me${sent ? ' (the one sent does not match this session)' : ''}`);
  }
}

const ALL_COLLECTIONS = COLLECTIONS.map((c) => c.id);

function authorize(rule: AccessRule, req: FastifyRequest, user: SessionUser): void {
  const role = user.role;
  if (rule.startsWith('write:')) {
    const id = rule.slice('write:'.length);
    if (!canWrite(role, id)) {
      const who = ['admin', ...ROLES.filter((r) => r !== 'admin' && canWrite(r, id))].join(', ');
      throw forbidden(`the role ${role} may not change ${id} or their records; ${who} may`);
    }
    return;
  }
  switch (rule) {
    case 'public':
    case 'read':
    case 'signed_in':
      return;
    case 'admin':
      if (role !== 'admin') throw forbidden(`the role ${role} may not manage users; only admin may`);
      return;
    case 'write_collection': {
      const id = (req.params as { collectionId?: string }).collectionId ?? '';
      const mine = writableCollections(role, ALL_COLLECTIONS);
      if (!mine.length) throw forbidden(`the role ${role} may not change any layer; it may only read`);
      // An unknown collection is left to the route (404 listing the collections).
      if (findCollection(id) && !canWrite(role, id)) {
        throw forbidden(`the role ${role} may not change ${id}; it may change ${mine.join(', ')}`);
      }
      return;
    }
    case 'settings': {
      const key = (req.params as { key?: string }).key ?? '';
      if (!canChangeSetting(role, key)) {
        throw forbidden(role === 'planner' ? `the role planner may not change the setting ${key}; only admin may` : `the role ${role} may not change settings; planner and admin may`);
      }
      return;
    }
    case 'notice_issue':
      if (!canIssueNotices(role)) throw forbidden(`the role ${role} may not issue rectification notices; ${NOTICE_ISSUERS.join(', ')} may`);
      return;
    case 'notice_act':
      if (!canActOnNotices(role)) throw forbidden(`the role ${role} may not change rectification notices; it may only read them`);
      return;
    case 'photo':
      if (!PHOTO_UPLOADERS.includes(role)) throw forbidden(`the role ${role} may not upload photos; ${PHOTO_UPLOADERS.join(', ')} may`);
      return;
    case 'report':
      if (!canWrite(role, 'findings')) {
        throw forbidden(`the role ${role} may not report findings (upload photos, convert findings); inspector and admin may`);
      }
      return;
    case 'audit': {
      if (canReadFullAudit(role)) return;
      const q = req.query as { collection?: string; feature_id?: string; user?: string };
      if (!q.collection || !q.feature_id || q.user !== undefined) {
        throw forbidden(`the role ${role} may read the history of one feature only: give collection and feature_id, without user (the whole audit log is for admin)`);
      }
      return;
    }
  }
}

export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const routes: { method: string; url: string }[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('authVia', null);

  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (!url || !url.startsWith('/api')) return;
    const rule = routeRule(req.method, url);
    const failed = await authenticate(opts.db, req);
    if (rule === 'public') return;
    if (failed) throw failed;
    // Fail closed: a route nobody gave a rule is refused (and the matrix test names it).
    if (!rule) throw forbidden(`${req.method} ${url} has no access rule yet; nobody may use it`);
    if (!req.user) {
      if (rule === 'read' && (await publicReadOn(opts.db, opts.publicRead))) return;
      throw unauthorized();
    }
    requireCsrf(req);
    authorize(rule, req, req.user);
  });
}
