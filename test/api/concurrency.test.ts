/**
 * Optimistic concurrency on the item routes: GET gives an ETag, PUT/PATCH/DELETE honour If-Match.
 * A stale ETag is a 412 and nothing is written; two writers with the same ETag: exactly one wins.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db/index.js';
import { testApp, json, feature, point } from '../helpers/app.js';
import { counts, expectRefused } from './bad-input/refusal.js';

let app: FastifyInstance;
let db: Db;

beforeAll(async () => {
  ({ app, db } = await testApp());
});
afterAll(() => app?.close());

async function create(): Promise<{ id: number; url: string; etag: string }> {
  const r = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic', description: 'v1' })) });
  expect(r.statusCode).toBe(201);
  const id = r.json().id;
  return { id, url: `/api/collections/garbage_points/items/${id}`, etag: r.headers.etag as string };
}
/** A PUT with If-Match (json() brings its own headers, so they are merged here). */
const put = (url: string, category: string, ifMatch: string) =>
  app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json', 'if-match': ifMatch }, payload: JSON.stringify(feature(point(117.3, 32.9), { category })) });
const patch = (url: string, description: string, ifMatch?: string) =>
  app.inject({ method: 'PATCH', url, headers: { 'content-type': 'application/merge-patch+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) }, payload: JSON.stringify({ properties: { description } }) });

describe('ETag and If-Match', () => {
  it('GET gives a strong ETag that changes with every write and revalidates with 304', async () => {
    const { url, etag } = await create();
    const r = await app.inject({ url });
    expect(r.headers.etag).toBe(etag);
    expect(etag).toMatch(/^"\d+-\d+"$/);
    expect((await app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const written = await patch(url, 'v2', etag);
    expect(written.statusCode).toBe(200);
    expect(written.headers.etag).not.toBe(etag);
    expect((await app.inject({ url })).headers.etag).toBe(written.headers.etag);
    // Even a write that changes no value is a new version (someone saved it).
    const same = await patch(url, 'v2', written.headers.etag as string);
    expect(same.headers.etag).not.toBe(written.headers.etag);
  });

  it('a stale ETag on PATCH, PUT and DELETE is a 412 that says why, and nothing is written', async () => {
    const { url, etag } = await create();
    const fresh = await patch(url, 'changed by someone else');
    expect(fresh.statusCode).toBe(200);
    const before = await counts(db);
    const stored = (await app.inject({ url })).body;
    const attempts = [
      patch(url, 'mine', etag),
      put(url, 'construction', etag),
      app.inject({ method: 'DELETE', url, headers: { 'if-match': etag } }),
    ];
    for (const r of await Promise.all(attempts)) {
      const body = expectRefused(r, 412, /changed since you read it/);
      expect(body.error).toBe('precondition_failed');
      expect(body.message).toContain('nothing was written');
      // The current ETag comes back, so a client knows what it would overwrite.
      expect(r.headers.etag).toBe(fresh.headers.etag);
    }
    expect(await counts(db)).toEqual(before);
    expect((await app.inject({ url })).body).toBe(stored);
  });

  it('a matching ETag writes and returns the new one; * and no If-Match write unconditionally', async () => {
    const { url, etag } = await create();
    const replaced = await put(url, 'construction', `"nope", ${etag}`);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().properties.category).toBe('construction');
    const star = await patch(url, 'star', '*');
    expect(star.statusCode).toBe(200);
    const none = await patch(url, 'no condition');
    expect(none.statusCode).toBe(200);
    expect(none.json().properties.description).toBe('no condition');
    const del = await app.inject({ method: 'DELETE', url, headers: { 'if-match': none.headers.etag as string } });
    expect(del.statusCode).toBe(204);
    // A missing feature stays a 404, with or without If-Match.
    expectRefused(await patch(url, 'gone', none.headers.etag as string), 404);
  });

  it('refuses an If-Match that is not an ETag list; a weak or foreign tag never matches', async () => {
    const { id, url, etag } = await create();
    for (const bad of ['12-3', 'W/', '"unterminated']) expectRefused(await patch(url, 'x', bad), 400, /If-Match: .* is not an ETag list/);
    expectRefused(await patch(url, 'x', `W/${etag}`), 412);
    expectRefused(await patch(url, 'x', `"${id + 1}-1"`), 412);
    expect((await app.inject({ url })).headers.etag).toBe(etag);
  });

  it('two writers with the same ETag at once: exactly one succeeds', async () => {
    for (let round = 0; round < 5; round++) {
      const { url, etag } = await create();
      const results = await Promise.all([patch(url, 'writer A', etag), patch(url, 'writer B', etag), put(url, 'writer C', etag)]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 412, 412]);
      const winner = results.find((r) => r.statusCode === 200)!;
      const now = await app.inject({ url });
      expect(now.headers.etag).toBe(winner.headers.etag);
      expect(now.json().properties).toMatchObject({ description: winner.json().properties.description, category: winner.json().properties.category });
    }
  });
});
