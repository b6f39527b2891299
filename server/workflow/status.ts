/**
 * Status changes of garbage points and demolition sites: checked against their lifecycle and
 * written to status_events (who, when, optional photo and note) in the caller's transaction.
 */
import type { Queryable } from '../db/index.js';
import { fillTemplate, ident, sqlFile } from '../db/sql.js';
import { HttpError, unprocessable } from '../errors.js';
import { refusal } from './lifecycle.js';

export const statusConflict = (message: string, details?: object[]) => new HttpError(409, 'transition_refused', message, details);

export interface StatusEvent {
  id: number;
  from_status: string | null;
  to_status: string;
  at: string;
  by_user: string | null;
  photo_id: number | null;
  note: string | null;
}

/** Throws 409 saying why when from → to is not allowed. */
export function assertTransition(collection: string, id: number, from: string, to: string): void {
  const why = refusal(collection, from, to);
  if (why) throw statusConflict(`${collection} ${id} cannot change from ${from} to ${to}: ${why}; nothing was changed`, [{ property: 'status', reason: why }]);
}

export async function assertPhotoExists(q: Queryable, photoId: number | null | undefined): Promise<void> {
  if (photoId === null || photoId === undefined) return;
  const { rows } = await q.query('SELECT 1 FROM photos WHERE id = $1', [photoId]);
  if (!rows.length) throw unprocessable('invalid_photo', `photo_id ${photoId} names no uploaded photo; upload it first with POST /api/photos`, [{ property: 'photo_id', reason: 'no such photo' }]);
}

export async function recordStatusEvent(q: Queryable, e: { collection: string; featureId: number; from: string | null; to: string; by: string | null; photoId?: number | null; note?: string | null }): Promise<{ id: number; at: string }> {
  const { rows } = await q.query<{ id: number; at: Date | string }>(sqlFile('workflow/status_event_insert'), [e.collection, e.featureId, e.from, e.to, e.by, e.photoId ?? null, e.note ?? null]);
  const at = rows[0].at;
  return { id: Number(rows[0].id), at: at instanceof Date ? at.toISOString() : String(at) };
}

export async function statusEvents(q: Queryable, collection: string, featureId: number): Promise<StatusEvent[]> {
  const { rows } = await q.query<Omit<StatusEvent, 'at'> & { at: Date | string }>(sqlFile('workflow/status_events'), [collection, featureId]);
  return rows.map((r) => ({ ...r, id: Number(r.id), photo_id: r.photo_id === null ? null : Number(r.photo_id), at: r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString() }));
}

/** The current status of a feature, locked for the rest of the transaction; undefined when missing. */
export async function lockedStatus(q: Queryable, table: string, id: number): Promise<{ status: string; version: string } | undefined> {
  const { rows } = await q.query<{ status: string; version: string }>(fillTemplate('workflow/status_for_update', { table: ident(table) }), [id]);
  return rows[0];
}
