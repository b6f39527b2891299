/**
 * Accounts: create, list and change users (with their audit entries), the first admin from the
 * environment, and the demo township's users. Password hashes never leave this module.
 */
import { signedInChanged } from './signed-in-cache.js';
import type { Queryable, Db } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { badRequest, conflict, HttpError, notFound } from '../errors.js';
import { appendAudit, type Actor } from '../audit/log.js';
import { checkNewPassword, hashPassword } from './passwords.js';
import { isRole, ROLES, type Role } from './policy.js';

export const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A signed-in user as requests carry it. */
export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  villages: string[];
}

export interface UserRow extends SessionUser {
  disabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  password_changed_at?: Date | string;
}

const iso = (v: Date | string | undefined) => (v instanceof Date ? v.toISOString() : v);

/** The user as the API shows it. */
export function userView(u: UserRow) {
  return {
    username: u.username,
    role: u.role,
    villages: u.villages,
    disabled: u.disabled,
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    ...(u.password_changed_at ? { password_changed_at: iso(u.password_changed_at) } : {}),
  };
}

/** What the audit log keeps of a user: never the hash, only when the password changed. */
function auditView(u: UserRow) {
  return { username: u.username, role: u.role, villages: u.villages, disabled: u.disabled, password_changed_at: iso(u.password_changed_at) };
}

export function checkUsername(username: unknown): string {
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw badRequest('username must be 1 to 64 letters, digits or . _ @ - (no spaces)', [{ field: 'username', message: 'letters, digits, . _ @ -; 1 to 64 characters' }]);
  }
  return username;
}

export function checkRole(role: unknown): Role {
  if (!isRole(role)) throw badRequest(`role must be one of ${ROLES.join(', ')}`, [{ field: 'role', message: `one of ${ROLES.join(', ')}` }]);
  return role;
}

/** Village officers answer for at least one village (by name); other roles for none. */
export function checkVillages(role: Role, villages: unknown): string[] {
  const list = villages === undefined || villages === null ? [] : villages;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || !v.trim() || v.length > 100)) {
    throw badRequest('villages must be a list of village names', [{ field: 'villages', message: 'a list of village names (1 to 100 characters each)' }]);
  }
  const names = [...new Set((list as string[]).map((v) => v.trim()))];
  if (role === 'village_officer' && names.length === 0) {
    throw badRequest('a village_officer needs at least one village in villages', [{ field: 'villages', message: 'name at least one village' }]);
  }
  if (role !== 'village_officer' && names.length > 0) {
    throw badRequest(`villages are only for the village_officer role, not ${role}: leave villages empty`, [{ field: 'villages', message: 'only for village_officer' }]);
  }
  return names;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  villages: string[];
}

/** Checks a create-user body; every problem is a 400 naming the field. */
export function checkNewUser(body: unknown): NewUser {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('send a JSON object {username, password, role, villages}');
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['username', 'password', 'role', 'villages'].includes(k));
  if (unknown.length) throw badRequest(`unknown member ${unknown.join(', ')}; a user has username, password, role and villages`);
  const username = checkUsername(b.username);
  const password = checkNewPassword(b.password);
  const role = checkRole(b.role);
  return { username, password, role, villages: checkVillages(role, b.villages) };
}

export async function createUser(q: Queryable, actor: Actor, u: NewUser): Promise<UserRow> {
  const hash = await hashPassword(u.password);
  const { rows } = await q.query<UserRow>(sqlFile('auth/user_insert'), [u.username, hash, u.role, u.villages]);
  if (!rows.length) throw conflict(`a user named ${u.username} exists already; choose another name or change that user with PATCH /api/users/${u.username}`);
  const user = { ...rows[0], id: Number(rows[0].id) };
  await appendAudit(q, actor, { action: 'user_create', after: auditView(user) });
  return user;
}

export async function hasUsers(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM users LIMIT 1')).rows.length > 0;
}

export async function listUsers(q: Queryable): Promise<UserRow[]> {
  return (await q.query<UserRow>(sqlFile('auth/user_list'))).rows;
}

export interface UserChange {
  role?: Role;
  villages?: string[];
  disabled?: boolean;
  password?: string;
}

/** Checks a PATCH body against the user's current role (villages must fit the resulting role). */
export function checkUserChange(body: unknown, current: Role, currentVillages: string[]): UserChange {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('send a JSON object with any of role, villages, password, disabled');
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['role', 'villages', 'password', 'disabled'].includes(k));
  if (unknown.length) throw badRequest(`unknown member ${unknown.join(', ')}; a user's role, villages, password and disabled can be changed`);
  if (!Object.keys(b).length) throw badRequest('nothing to change: give role, villages, password or disabled');
  const change: UserChange = {};
  if (b.role !== undefined) change.role = checkRole(b.role);
  const role = change.role ?? current;
  if (b.villages !== undefined) change.villages = checkVillages(role, b.villages);
  else if (change.role && change.role !== current) {
    // Leaving village_officer clears the villages; becoming one needs them.
    change.villages = checkVillages(role, role === 'village_officer' ? currentVillages : []);
  }
  if (b.disabled !== undefined) {
    if (typeof b.disabled !== 'boolean') throw badRequest('disabled must be true or false', [{ field: 'disabled', message: 'true or false' }]);
    change.disabled = b.disabled;
  }
  if (b.password !== undefined) change.password = checkNewPassword(b.password);
  return change;
}

/** Applies a checked change in one transaction; the last active admin cannot be demoted or disabled. */
export async function updateUser(db: Db, actor: Actor, username: string, body: unknown): Promise<UserRow> {
  const updated = await db.transaction(async (tx) => {
    const { rows } = await tx.query<UserRow>(sqlFile('auth/user_public'), [username]);
    if (!rows.length) throw notFound(`no user named ${username}; GET /api/users lists them`);
    const before = rows[0];
    const change = checkUserChange(body, before.role, before.villages);
    const losesAdmin = before.role === 'admin' && !before.disabled && ((change.role && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin) {
      const others = await tx.query<{ n: number }>(sqlFile('auth/active_admins'), [username]);
      if (others.rows[0].n === 0) throw conflict(`${username} is the last active admin; make another user admin first`);
    }
    const hash = change.password ? await hashPassword(change.password) : null;
    const after = (await tx.query<UserRow>(sqlFile('auth/user_update'), [username, change.role ?? null, change.villages ?? null, change.disabled ?? null, hash])).rows[0];
    // A reset password or a disabled account ends the user's sessions (API tokens of a disabled user stop working too).
    if (hash || change.disabled) await tx.query(sqlFile('auth/sessions_delete_others'), [before.id, null]);
    await appendAudit(tx, actor, { action: 'user_update', before: auditView(before), after: auditView(after), details: { changed: Object.keys(change) } });
    return after;
  });
  // Committed: requests from now on see the new role, villages or disabled account.
  signedInChanged();
  return updated;
}

export async function findUser(q: Queryable, username: string) {
  const { rows } = await q.query<UserRow & { password_hash: string }>(sqlFile('auth/user_by_name'), [username]);
  return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : undefined;
}

/** ADMIN_USERNAME + ADMIN_PASSWORD at start: that admin is created if missing (an existing user is left as it is). */
export async function ensureAdmin(db: Db, actor: Actor, username: string, password: string): Promise<boolean> {
  checkUsername(username);
  checkNewPassword(password, 'ADMIN_PASSWORD');
  if (await findUser(db, username)) return false;
  try {
    await db.transaction((tx) => createUser(tx, actor, { username, password, role: 'admin', villages: [] }));
    return true;
  } catch (e) {
    // Another server process on the same database made it a moment ago.
    if (e instanceof HttpError && e.statusCode === 409) return false;
    throw e;
  }
}

/**
 * The demo township's users, one per role. DEMO ONLY: the passwords are printed at the start
 * that seeds them and written in the README; change or disable them before real use.
 */
export const DEMO_USERS: readonly NewUser[] = [
  { username: 'admin', password: 'demo-admin-2026', role: 'admin', villages: [] },
  { username: 'planner', password: 'demo-planner-2026', role: 'planner', villages: [] },
  { username: 'greening', password: 'demo-greening-2026', role: 'greening', villages: [] },
  { username: 'inspector', password: 'demo-inspector-2026', role: 'inspector', villages: [] },
  { username: 'village', password: 'demo-village-2026', role: 'village_officer', villages: ['包集村'] },
  { username: 'viewer', password: 'demo-viewer-2026', role: 'viewer', villages: [] },
];

/** Creates the demo users that do not exist yet (inside the demo seed's transaction); returns the ones made. */
export async function createDemoUsers(q: Queryable, actor: Actor): Promise<NewUser[]> {
  const made: NewUser[] = [];
  for (const u of DEMO_USERS) {
    if (await findUser(q, u.username)) continue;
    await createUser(q, actor, u);
    made.push(u);
  }
  return made;
}
