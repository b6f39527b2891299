/**
 * Who may do what: the roles, which collections each may change, and the access rule of every
 * API route. Pure data and functions (no Node imports): the server enforces it (auth/guard.ts),
 * the client imports it to show only the controls a user may use. A route missing from
 * ROUTE_RULES is refused, and test/api/authorization-matrix.test.ts fails until it is added.
 */

export const ROLES = ['admin', 'planner', 'greening', 'inspector', 'village_officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  planner: { zh: '规划/创建办', en: 'Planner' },
  greening: { zh: '林业站/绿化队', en: 'Greening team' },
  inspector: { zh: '督查组/巡查员', en: 'Inspector' },
  village_officer: { zh: '村两委', en: 'Village officer' },
  viewer: { zh: '只读用户', en: 'Viewer' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * The collections each role may create, change, delete and import into. Admins may write every
 * collection. Village officers change no layer; they act on their own villages' rectification
 * notices (noticeTransitionRefusal below).
 */
const WRITES: Record<Exclude<Role, 'admin'>, readonly string[]> = {
  planner: ['roads', 'villages', 'waterways'],
  greening: ['afforestation_plots'],
  inspector: ['demolition_sites', 'garbage_points', 'sanitation_facilities', 'patrols', 'findings'],
  village_officer: [],
  viewer: [],
};

/** Settings only an admin may change (the rest are the planners' rules). */
export const ADMIN_SETTINGS: readonly string[] = ['public_read'];

/** May this role create, change, delete and import features of this collection? */
export function canWrite(role: Role, collectionId: string): boolean {
  if (role === 'admin') return true;
  return WRITES[role].includes(collectionId);
}

/** The collections this role may write (admin: every one given). */
export function writableCollections(role: Role, all: readonly string[]): string[] {
  return all.filter((id) => canWrite(role, id));
}

/** May this role change this setting? Planners set the analyses' rules; admins everything. */
export function canChangeSetting(role: Role, key: string): boolean {
  if (role === 'admin') return true;
  return role === 'planner' && !ADMIN_SETTINGS.includes(key);
}

/** May this role manage accounts (list, create, change users) and read the whole audit log? */
export const canManageUsers = (role: Role): boolean => role === 'admin';
export const canReadFullAudit = (role: Role): boolean => role === 'admin';

/**
 * The access rule of a route:
 * - public: anyone (health, login, logout);
 * - read: signed-in users, and anonymous users when public read-only mode is on;
 * - signed_in: signed-in users only (own account, own tokens);
 * - admin: admins only (users);
 * - write_collection: roles that may write the collection in the `collectionId` parameter;
 * - settings: canChangeSetting for the `key` parameter;
 * - audit: admins; other signed-in users only for one feature's history (collection + feature_id).
 * - report: roles that may write findings (convert a finding).
 * - photo: every role that records work with a photo (all but viewer): inspectors' findings and
 *   re-checks, a village officer's "after" photo, a greening team's survival check.
 * - write:<collection>: roles that may write that collection (records that hang off its features,
 *   such as the plantings and survival checks of an afforestation plot).
 */
export type AccessRule = 'public' | 'read' | 'signed_in' | 'admin' | 'write_collection' | 'settings' | 'audit' | 'notice_issue' | 'notice_act' | 'report' | 'photo' | `write:${string}`;

/**
 * Rectification notices (整改通知): inspectors and planners issue them and check the fixes
 * (verified / reopened); a village officer moves only notices of their own villages to
 * in_progress and reported_fixed. Admins may do everything. The one who reports a fix is not
 * the one who checks it, so inspectors and planners do not report fixes for a village.
 */
export const NOTICE_ISSUERS: readonly Role[] = ['admin', 'planner', 'inspector'];
const NOTICE_MOVERS: Record<'in_progress' | 'reported_fixed' | 'verified' | 'reopened', readonly Role[]> = {
  in_progress: ['admin', 'village_officer'],
  reported_fixed: ['admin', 'village_officer'],
  verified: ['admin', 'planner', 'inspector'],
  reopened: ['admin', 'planner', 'inspector'],
};

/** Roles that may upload photos: everyone who records work (not the read-only viewer). */
export const PHOTO_UPLOADERS: readonly Role[] = ROLES.filter((r) => r !== 'viewer');

export const canIssueNotices = (role: Role): boolean => NOTICE_ISSUERS.includes(role);
/** May this role move some notice (the route's rule; the notice's village and target state are checked by noticeTransitionRefusal)? */
export const canActOnNotices = (role: Role): boolean => role === 'village_officer' || NOTICE_ISSUERS.includes(role);

/** Why this user may not move a notice of this village to this state, or null when they may. */
export function noticeTransitionRefusal(user: { role: Role; villages: readonly string[] }, village: string, to: string): string | null {
  const movers = (NOTICE_MOVERS as Record<string, readonly Role[] | undefined>)[to];
  if (!movers) return null; // an unknown or initial state is the lifecycle's to refuse
  if (!movers.includes(user.role)) return `the role ${user.role} may not move a notice to ${to}; ${movers.join(', ')} may`;
  if (user.role === 'village_officer' && !user.villages.includes(village)) {
    return `the role village_officer may act only on notices of its own villages (${user.villages.join(', ') || 'none'}), not of ${village}`;
  }
  return null;
}

/** Every API route (method and Fastify URL pattern) with its rule. HEAD follows GET. */
export const ROUTE_RULES: Record<string, AccessRule> = {
  'GET /api/health': 'public',
  'GET /api/client-config': 'read',
  'GET /api': 'read',
  'GET /api/openapi.json': 'read',
  'GET /api/conformance': 'read',
  'GET /api/collections': 'read',
  'GET /api/collections/:collectionId': 'read',
  'GET /api/collections/:collectionId/items': 'read',
  'GET /api/collections/:collectionId/items/:featureId': 'read',
  'POST /api/collections/:collectionId/items': 'write_collection',
  'PUT /api/collections/:collectionId/items/:featureId': 'write_collection',
  'PATCH /api/collections/:collectionId/items/:featureId': 'write_collection',
  'DELETE /api/collections/:collectionId/items/:featureId': 'write_collection',
  'POST /api/import/:collectionId': 'write_collection',
  'GET /api/export/:collectionId': 'read',
  'GET /api/tiles/:collectionId/:z/:x/:y.mvt': 'read',
  'GET /api/tiles/:collectionId.json': 'read',
  'GET /api/roads/:id/units': 'read',
  'GET /api/roads/:id/stake': 'read',
  'GET /api/roads/locate': 'read',
  'GET /api/analysis/setback': 'read',
  'GET /api/analysis/corridor': 'read',
  'GET /api/analysis/rewards': 'read',
  'GET /api/analysis/facilities': 'read',
  'GET /api/analysis/green-corridor': 'read',
  'GET /api/analysis/afforestation': 'read',
  'GET /api/analysis/ranking': 'read',
  'GET /api/reports/monthly': 'read',
  'GET /api/analysis/patrol-coverage': 'read',
  'GET /api/afforestation_plots/:id/plantings': 'read',
  'POST /api/afforestation_plots/:id/plantings': 'write:afforestation_plots',
  'GET /api/afforestation_plots/:id/survival-checks': 'read',
  'POST /api/afforestation_plots/:id/survival-checks': 'write:afforestation_plots',
  'GET /api/settings': 'read',
  'PUT /api/settings/:key': 'settings',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'signed_in',
  'POST /api/auth/password': 'signed_in',
  'POST /api/auth/tokens': 'signed_in',
  'GET /api/auth/tokens': 'signed_in',
  'DELETE /api/auth/tokens/:id': 'signed_in',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:username': 'admin',
  'GET /api/audit': 'audit',
  'GET /api/notices': 'read',
  'POST /api/notices': 'notice_issue',
  'GET /api/notices/candidates': 'read',
  'GET /api/notices/:id': 'read',
  'GET /api/notices/:id.pdf': 'read',
  'POST /api/notices/:id/transitions': 'notice_act',
  'POST /api/photos': 'photo',
  'GET /api/photos/:id': 'read',
  'GET /api/photos/:id/original': 'read',
  'GET /api/photos/:id/thumbnail': 'read',
  'POST /api/findings/:featureId/convert': 'report',
  'GET /api/collections/:collectionId/items/:featureId/transitions': 'read',
  'POST /api/collections/:collectionId/items/:featureId/transitions': 'write_collection',
  'GET /api/analysis/hotspots': 'read',
};

/** The rule of a route, or undefined when the route has none (then it is refused). */
export function routeRule(method: string, url: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return ROUTE_RULES[`${m} ${url}`];
}
