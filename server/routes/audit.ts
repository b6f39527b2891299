/**
 * The audit log, newest first. Admins search all of it; other signed-in users read one feature's
 * history (the guard enforces which).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { invalidParameter } from '../errors.js';
import { AUDIT_ACTIONS, listAudit } from '../audit/log.js';
import { findCollection, COLLECTIONS } from '../collections/registry.js';

const AuditQuery = Type.Object({
  collection: Type.Optional(Type.String({ maxLength: 100 })),
  feature_id: Type.Optional(Type.String({ maxLength: 20 })),
  user: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339 instant or date, inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339 instant or date, exclusive' })),
  limit: Type.Optional(Type.String({ description: '1 to 1000, default 100' })),
  offset: Type.Optional(Type.String()),
}, { additionalProperties: false });

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalidParameter(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

function instant(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // A bare date is midnight in Asia/Shanghai, the campaign's calendar.
  const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+08:00` : raw;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalidParameter(name, 'must be a date (YYYY-MM-DD) or an RFC 3339 instant such as 2026-05-01T08:00:00Z');
  }
  return value;
}

export async function auditRoutes(fastify: FastifyInstance, opts: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  app.get('/api/audit', { schema: { tags: ['audit'], querystring: AuditQuery } }, async (req) => {
    const q = req.query;
    if (q.collection !== undefined && !findCollection(q.collection)) {
      throw invalidParameter('collection', `no collection ${JSON.stringify(q.collection)}; the collections are ${COLLECTIONS.map((c) => c.id).join(', ')}`);
    }
    if (q.action !== undefined && !(AUDIT_ACTIONS as readonly string[]).includes(q.action)) {
      throw invalidParameter('action', `must be one of ${AUDIT_ACTIONS.join(', ')}`);
    }
    const featureId = q.feature_id === undefined ? undefined : wholeNumber('feature_id', q.feature_id, 0, 1, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber('limit', q.limit, 100, 1, 1000);
    const offset = wholeNumber('offset', q.offset, 0, 0, 1e9);
    const { entries, numberMatched } = await listAudit(db, {
      collection: q.collection, featureId, user: q.user, action: q.action, from: instant('from', q.from), to: instant('to', q.to), limit, offset,
    });
    return { numberMatched, numberReturned: entries.length, entries };
  });
}
