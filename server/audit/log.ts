/**
 * The audit log: every write appends who, when, what, before and after (migration 007 makes the
 * table append-only). Writers call appendAudit inside the same transaction as the change, so a
 * change is never kept without its entry, nor an entry without its change.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';

/** Who acted: a signed-in user, or the command line / server start for accounts made there. */
export interface Actor {
  username: string | null;
  role: string | null;
}

export const CLI_ACTOR: Actor = { username: 'cli', role: null };
export const SERVER_ACTOR: Actor = { username: 'server', role: null };

export type AuditAction =
  | 'create' | 'replace' | 'update' | 'delete' | 'import'
  | 'settings'
  | 'login' | 'login_failed' | 'logout' | 'password_change' | 'token_create' | 'token_revoke'
  | 'user_create' | 'user_update';

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'create', 'replace', 'update', 'delete', 'import', 'settings',
  'login', 'login_failed', 'logout', 'password_change', 'token_create', 'token_revoke', 'user_create', 'user_update',
];

export interface AuditEntry {
  action: AuditAction;
  collection?: string | null;
  featureId?: number | null;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function appendAudit(q: Queryable, actor: Actor | null, e: AuditEntry): Promise<void> {
  await q.query(sqlFile('audit/insert'), [
    actor?.username ?? null,
    actor?.role ?? null,
    e.action,
    e.collection ?? null,
    e.featureId ?? null,
    json(e.before),
    json(e.after),
    json(e.details),
  ]);
}

export interface AuditQuery {
  collection?: string;
  featureId?: number;
  user?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface AuditRow {
  id: number;
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  collection: string | null;
  feature_id: number | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

export async function listAudit(q: Queryable, f: AuditQuery): Promise<{ entries: AuditRow[]; numberMatched: number }> {
  const filters = [f.collection ?? null, f.featureId ?? null, f.user ?? null, f.action ?? null, f.from ?? null, f.to ?? null];
  const { rows } = await q.query<AuditRow & { number_matched: number }>(sqlFile('audit/select'), [...filters, f.limit, f.offset]);
  const entries = rows.filter((r) => r.id !== null).map(({ number_matched: _, ...r }) => ({
    ...r,
    id: Number(r.id),
    feature_id: r.feature_id === null ? null : Number(r.feature_id),
    at: (r.at as unknown) instanceof Date ? (r.at as unknown as Date).toISOString() : String(r.at),
  }));
  return { entries, numberMatched: rows[0].number_matched };
}
