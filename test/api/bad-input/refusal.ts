/**
 * What every bad-input case asserts: a 4xx in the one error shape with a message that says
 * something, and nothing written: the rows of every collection and the sum of their versions
 * (bumped by every UPDATE) are unchanged, so neither an insert, a delete nor an update got through.
 */
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Db } from '../../../server/db/index.js';
import { COLLECTIONS } from '../../../server/collections/registry.js';

export async function counts(db: Db): Promise<Record<string, string>> {
  const sql = COLLECTIONS.map((c) => `SELECT '${c.id}' AS id, count(*)::int AS n, coalesce(sum(version), 0)::text AS v FROM ${c.table}`).join(' UNION ALL ');
  const { rows } = await db.query<{ id: string; n: number; v: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.id, `${r.n} rows, versions ${r.v}`]));
}

/** The error body of a refused request, checked for the shape; `status` a number or a list. */
export function expectRefused(r: Pick<LightMyRequestResponse, 'statusCode' | 'body' | 'headers'>, status?: number | number[], message?: RegExp): { error: string; message: string; details?: unknown[] } {
  const context = `${r.statusCode} ${r.body.slice(0, 300)}`;
  expect(r.statusCode, context).toBeGreaterThanOrEqual(400);
  expect(r.statusCode, context).toBeLessThan(500);
  if (status !== undefined) expect([status].flat(), context).toContain(r.statusCode);
  expect(String(r.headers['content-type']), context).toMatch(/^application\/json/);
  const body = JSON.parse(r.body);
  expect(Object.keys(body).filter((k) => !['error', 'message', 'details'].includes(k)), context).toEqual([]);
  expect(typeof body.error, context).toBe('string');
  expect(body.error, context).toMatch(/^[a-z_]+$/);
  expect(typeof body.message, context).toBe('string');
  expect(body.message.length, context).toBeGreaterThan(10);
  if (body.details !== undefined) expect(Array.isArray(body.details), context).toBe(true);
  if (message) expect(body.message, context).toMatch(message);
  return body;
}

/** Sends a request and asserts it is refused and wrote nothing; returns the error body. */
export async function refusedWithoutWrite(app: FastifyInstance, db: Db, req: InjectOptions, status?: number | number[], message?: RegExp) {
  const before = await counts(db);
  const r = await app.inject(req as never);
  const body = expectRefused(r, status, message);
  expect(await counts(db)).toEqual(before);
  return body;
}
