/**
 * Role × route × method: every API route is tried by every role, by an anonymous caller, and by an
 * anonymous caller in public read-only mode, and each answer must be "let through" (anything but
 * 401/403) or refused (403 naming the role for a signed-in user, 401 for no credentials) exactly as
 * the table below says. The table is written out here, independently of server/auth/policy.ts;
 * a route the server registers without a row here fails the last test.
 *
 * Bodies are deliberately incomplete, so an allowed write stops at validation (400/404/422) and
 * nothing changes between cases.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, userWithToken } from '../helpers/app.js';
import { ROLES, ROUTE_RULES, type Role } from '../../server/auth/policy.js';
import { COLLECTIONS } from '../../server/collections/registry.js';

type Who = Role | 'anonymous' | 'anonymous_public';
interface Case {
  route: string;
  url: string;
  body?: unknown;
  /** Roles let through; anonymous callers never are, except 'public' routes and public reads. */
  allowed: readonly Role[];
  /** Anonymous callers are let through (public routes). */
  anonymous?: boolean;
  /** Anonymous callers are let through in public read-only mode. */
  publicRead?: boolean;
}

const EVERYONE = ROLES;
const ADMIN: Role[] = ['admin'];
/** Who changes each collection, besides admin (the list, written out). */
const WRITERS: Record<string, Role[]> = {
  roads: ['admin', 'planner'],
  villages: ['admin', 'planner'],
  waterways: ['admin', 'planner'],
  afforestation_plots: ['admin', 'greening'],
  demolition_sites: ['admin', 'inspector'],
  garbage_points: ['admin', 'inspector'],
  sanitation_facilities: ['admin', 'inspector'],
  patrols: ['admin', 'inspector'],
  findings: ['admin', 'inspector'],
};
/** Who reports findings: uploads photos and converts findings. */
const REPORTERS: Role[] = ['admin', 'inspector'];

const read = (route: string, url = route): Case => ({ route, url, allowed: EVERYONE, publicRead: true });

const CASES: Case[] = [
  { route: 'GET /api/health', url: '/api/health', allowed: EVERYONE, anonymous: true },
  read('GET /api/client-config', '/api/client-config'),
  read('GET /api', '/api'),
  read('GET /api/openapi.json', '/api/openapi.json'),
  read('GET /api/conformance', '/api/conformance'),
  read('GET /api/collections', '/api/collections'),
  read('GET /api/collections/:collectionId', '/api/collections/roads'),
  read('GET /api/collections/:collectionId/items', '/api/collections/garbage_points/items'),
  read('GET /api/collections/:collectionId/items/:featureId', '/api/collections/villages/items/1'),
  read('GET /api/export/:collectionId', '/api/export/roads?f=csv'),
  read('GET /api/tiles/:collectionId/:z/:x/:y.mvt', '/api/tiles/roads/12/3384/1650.mvt'),
  read('GET /api/tiles/:collectionId.json', '/api/tiles/roads.json'),
  read('GET /api/roads/:id/units', '/api/roads/1/units'),
  read('GET /api/roads/:id/stake', '/api/roads/1/stake?lon=117.1&lat=32.9'),
  read('GET /api/roads/locate', '/api/roads/locate?q=S225%20K1%2B000'),
  read('GET /api/analysis/setback', '/api/analysis/setback'),
  read('GET /api/analysis/corridor', '/api/analysis/corridor?month=2026-05'),
  read('GET /api/analysis/rewards', '/api/analysis/rewards?from=2026-01&to=2026-03'),
  read('GET /api/analysis/facilities', '/api/analysis/facilities'),
  read('GET /api/analysis/green-corridor', '/api/analysis/green-corridor'),
  read('GET /api/analysis/afforestation', '/api/analysis/afforestation'),
  read('GET /api/analysis/ranking', '/api/analysis/ranking'),
  read('GET /api/reports/monthly', '/api/reports/monthly?month=2026-10'),
  read('GET /api/analysis/patrol-coverage', '/api/analysis/patrol-coverage'),
  read('GET /api/afforestation_plots/:id/plantings', '/api/afforestation_plots/1/plantings'),
  read('GET /api/afforestation_plots/:id/survival-checks', '/api/afforestation_plots/1/survival-checks'),
  { route: 'POST /api/afforestation_plots/:id/plantings', url: '/api/afforestation_plots/1/plantings', body: {}, allowed: ['admin', 'greening'] },
  { route: 'POST /api/afforestation_plots/:id/survival-checks', url: '/api/afforestation_plots/1/survival-checks', body: {}, allowed: ['admin', 'greening'] },
  read('GET /api/settings', '/api/settings'),
  ...COLLECTIONS.flatMap((c): Case[] => [
    { route: 'POST /api/collections/:collectionId/items', url: `/api/collections/${c.id}/items`, body: {}, allowed: WRITERS[c.id] },
    { route: 'PUT /api/collections/:collectionId/items/:featureId', url: `/api/collections/${c.id}/items/1`, body: {}, allowed: WRITERS[c.id] },
    { route: 'PATCH /api/collections/:collectionId/items/:featureId', url: `/api/collections/${c.id}/items/999`, body: {}, allowed: WRITERS[c.id] },
    { route: 'DELETE /api/collections/:collectionId/items/:featureId', url: `/api/collections/${c.id}/items/999`, allowed: WRITERS[c.id] },
    { route: 'POST /api/import/:collectionId', url: `/api/import/${c.id}`, body: {}, allowed: WRITERS[c.id] },
    { route: 'POST /api/collections/:collectionId/items/:featureId/transitions', url: `/api/collections/${c.id}/items/999/transitions`, body: {}, allowed: WRITERS[c.id] },
  ]),
  read('GET /api/collections/:collectionId/items/:featureId/transitions', '/api/collections/garbage_points/items/999/transitions'),
  { route: 'POST /api/photos', url: '/api/photos', body: {}, allowed: ['admin', 'planner', 'greening', 'inspector', 'village_officer'] },
  read('GET /api/photos/:id', '/api/photos/999'),
  read('GET /api/photos/:id/original', '/api/photos/999/original'),
  read('GET /api/photos/:id/thumbnail', '/api/photos/999/thumbnail'),
  { route: 'POST /api/findings/:featureId/convert', url: '/api/findings/999/convert', body: {}, allowed: REPORTERS },
  read('GET /api/analysis/hotspots', '/api/analysis/hotspots'),
  { route: 'PUT /api/settings/:key', url: '/api/settings/setback_m_by_class', body: {}, allowed: ['admin', 'planner'] },
  { route: 'PUT /api/settings/:key', url: '/api/settings/corridor_grades', body: {}, allowed: ['admin', 'planner'] },
  { route: 'PUT /api/settings/:key', url: '/api/settings/corridor_rewards', body: {}, allowed: ['admin', 'planner'] },
  { route: 'PUT /api/settings/:key', url: '/api/settings/public_read', body: {}, allowed: ADMIN },
  { route: 'POST /api/auth/login', url: '/api/auth/login', body: {}, allowed: EVERYONE, anonymous: true },
  { route: 'POST /api/auth/logout', url: '/api/auth/logout', allowed: EVERYONE, anonymous: true },
  { route: 'GET /api/auth/me', url: '/api/auth/me', allowed: EVERYONE },
  { route: 'POST /api/auth/password', url: '/api/auth/password', body: {}, allowed: EVERYONE },
  { route: 'POST /api/auth/tokens', url: '/api/auth/tokens', body: {}, allowed: EVERYONE },
  { route: 'GET /api/auth/tokens', url: '/api/auth/tokens', allowed: EVERYONE },
  { route: 'DELETE /api/auth/tokens/:id', url: '/api/auth/tokens/999999', allowed: EVERYONE },
  { route: 'GET /api/users', url: '/api/users', allowed: ADMIN },
  { route: 'POST /api/users', url: '/api/users', body: {}, allowed: ADMIN },
  { route: 'PATCH /api/users/:username', url: '/api/users/nobody', body: {}, allowed: ADMIN },
  { route: 'GET /api/audit', url: '/api/audit', allowed: ADMIN },
  { route: 'GET /api/audit', url: '/api/audit?user=someone', allowed: ADMIN },
  { route: 'GET /api/audit', url: '/api/audit?collection=roads&feature_id=1', allowed: EVERYONE },
  read('GET /api/notices', '/api/notices'),
  read('GET /api/notices/candidates', '/api/notices/candidates?village=%E5%8C%85%E9%9B%86%E6%9D%91'),
  read('GET /api/notices/:id', '/api/notices/999'),
  read('GET /api/notices/:id.pdf', '/api/notices/999.pdf'),
  // Inspectors and planners issue notices; village officers report fixes on their own villages'
  // notices (the village and target state are checked per notice: test/api/notices.test.ts).
  { route: 'POST /api/notices', url: '/api/notices', body: {}, allowed: ['admin', 'planner', 'inspector'] },
  { route: 'POST /api/notices/:id/transitions', url: '/api/notices/999/transitions', body: {}, allowed: ['admin', 'planner', 'inspector', 'village_officer'] },
];

let app: FastifyInstance;
let publicApp: FastifyInstance;
const auth: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  const t = await testApp({ auth: false });
  app = t.app;
  publicApp = (await testApp({ publicRead: true, auth: false })).app;
  // Both apps share the database (the second testApp emptied it): one user per role, with a token.
  for (const role of ROLES) auth[role] = await userWithToken(t.db, `matrix-${role}`, role);
});
afterAll(async () => {
  await app?.close();
  await publicApp?.close();
});

async function ask(target: FastifyInstance, c: Case, who: Who) {
  const [method] = c.route.split(' ');
  const headers: Record<string, string | undefined> = { authorization: who === 'anonymous' || who === 'anonymous_public' ? undefined : auth[who] };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  return target.inject({ method: method as 'GET', url: c.url, headers, payload: c.body === undefined ? undefined : JSON.stringify(c.body) });
}

describe('authorization matrix', () => {
  for (const c of CASES) {
    it(`${c.route.split(' ')[0]} ${c.url}`, async () => {
      for (const role of ROLES) {
        const res = await ask(app, c, role);
        if (c.allowed.includes(role)) {
          expect([401, 403], `${role} should be let through, got ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${role} should be refused: ${res.body}`).toBe(403);
          expect(res.json()).toMatchObject({ error: 'forbidden' });
          expect(res.json().message).toContain(role);
        }
      }
      const anon = await ask(app, c, 'anonymous');
      if (c.anonymous) expect([401, 403], `anonymous: ${anon.body}`).not.toContain(anon.statusCode);
      else expect(anon.statusCode, `anonymous: ${anon.body}`).toBe(401);
      const pub = await ask(publicApp, c, 'anonymous_public');
      if (c.anonymous || c.publicRead) expect([401, 403], `anonymous in public read mode: ${pub.body}`).not.toContain(pub.statusCode);
      else expect(pub.statusCode, `anonymous in public read mode: ${pub.body}`).toBe(401);
    });
  }

  it('every registered API route has a row in this matrix and a rule in server/auth/policy.ts (and no rule is stale)', () => {
    const registered = new Set(app.registeredRoutes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    const inMatrix = new Set(CASES.map((c) => c.route));
    expect([...registered].filter((r) => !inMatrix.has(r)), 'routes without a row in the matrix').toEqual([]);
    expect([...registered].filter((r) => !(r in ROUTE_RULES)), 'routes without a rule in policy.ts').toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((r) => !registered.has(r)), 'rules for routes that do not exist').toEqual([]);
    expect([...inMatrix].filter((r) => !registered.has(r)), 'matrix rows for routes that do not exist').toEqual([]);
  });

  it('a route without a rule is refused for everyone, admin included (fail closed)', async () => {
    const t = await testApp();
    t.app.get('/api/unruled', async () => ({ secret: true }));
    const res = await t.app.inject('/api/unruled');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/has no access rule/);
    await t.app.close();
  });
});
