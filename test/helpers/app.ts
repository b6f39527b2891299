import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.js';
import { testDb, resetData } from './db.js';
import type { Db } from '../../server/db/index.js';
import { createUser } from '../../server/auth/users.js';
import { createApiToken } from '../../server/auth/sessions.js';
import type { Role } from '../../server/auth/policy.js';
import { CLI_ACTOR } from '../../server/audit/log.js';

export const TEST_LIMITS = { bodyMaxBytes: 4 * 1024 * 1024, importMaxBytes: 128 * 1024 * 1024, tileCacheBytes: 16 * 1024 * 1024 };

export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-password' };

export interface TestAppOptions extends Partial<Pick<AppOptions, 'publicRead' | 'sessionHours' | 'trustProxy' | 'dataDir' | 'photoMaxBytes'>> {
  /** false: requests go without the admin's token unless they bring their own. */
  auth?: boolean;
}

/** Creates a user of this role and an API token for it; returns the Authorization header value. */
export async function userWithToken(db: Db, username: string, role: Role, password = `${username}-password`, villages: string[] = role === 'village_officer' ? ['包集村'] : []): Promise<string> {
  const user = await createUser(db, CLI_ACTOR, { username, password, role, villages });
  const { token } = await createApiToken(db, user.id, 'test');
  return `Bearer ${token}`;
}

/**
 * Makes app.inject send `authorization` (the admin's token from testApp) unless a request sets
 * its own `authorization` header (even to undefined, for an anonymous request) or a cookie.
 * For apps a test builds itself with buildApp (other limits, a failing database).
 */
export function withAuthorization<T extends FastifyInstance>(app: T, authorization: string | undefined): T {
  const inject = app.inject.bind(app) as (o: InjectOptions) => ReturnType<FastifyInstance['inject']>;
  (app as { inject: unknown }).inject = (o: string | InjectOptions) => {
    const opts: InjectOptions = typeof o === 'string' ? { url: o } : o;
    const headers = { ...(opts.headers ?? {}) } as Record<string, unknown>;
    if (authorization && !('authorization' in headers) && !('cookie' in headers)) headers.authorization = authorization;
    // A header given as undefined is left out (that is how a test asks for an anonymous request).
    for (const [k, v] of Object.entries(headers)) if (v === undefined) delete headers[k];
    return inject({ ...opts, headers: headers as InjectOptions['headers'] });
  };
  return app;
}

/**
 * The app on the shared test database, emptied, with one admin (TEST_ADMIN) and an API token;
 * requests go through app.inject (no socket) and carry the admin's token unless they set their
 * own `authorization` header (even to undefined, for an anonymous request) or a cookie.
 */
export async function testApp(options: TestAppOptions = {}): Promise<{ app: FastifyInstance; db: Db; adminAuth: string }> {
  const db = await testDb();
  await resetData(db);
  const app = await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, publicRead: options.publicRead, sessionHours: options.sessionHours, trustProxy: options.trustProxy, dataDir: options.dataDir, photoMaxBytes: options.photoMaxBytes });
  const adminAuth = await userWithToken(db, TEST_ADMIN.username, 'admin', TEST_ADMIN.password);
  if (options.auth !== false) withAuthorization(app, adminAuth);
  else withAuthorization(app, undefined);
  return { app, db, adminAuth };
}

export const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

export function feature(geometry: unknown, properties: Record<string, unknown>) {
  return { type: 'Feature', geometry, properties };
}

export const line = (coords: unknown[][]) => ({ type: 'LineString', coordinates: coords });
export const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
export const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
