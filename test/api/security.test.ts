/**
 * Security headers and the Content-Security-Policy built from the configuration, and 5xx bodies
 * that carry only { error, message with the request id }: no stack trace, no SQL.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Db } from '../../server/db/index.js';
import { testApp, withAuthorization, TEST_LIMITS, json, feature, point } from '../helpers/app.js';

let app: FastifyInstance;
let db: Db;
let adminAuth: string;

beforeAll(async () => {
  ({ app, db, adminAuth } = await testApp());
});
afterAll(() => app?.close());

function csp(header: unknown): Record<string, string[]> {
  return Object.fromEntries(String(header).split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([k, ...v]) => [k, v]));
}

describe('security headers', () => {
  it('every response carries helmet headers and a CSP without upgrade-insecure-requests', async () => {
    for (const url of ['/api/health', '/api/collections/nope', '/api/tiles/roads/0/0/0.mvt']) {
      const r = await app.inject({ url });
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      const policy = csp(r.headers['content-security-policy']);
      expect(policy['default-src']).toEqual(["'self'"]);
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['worker-src']).toEqual(["'self'", 'blob:']);
      expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:']);
      expect(policy['connect-src']).toEqual(["'self'"]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['upgrade-insecure-requests']).toBeUndefined();
    }
  });

  it('allows the configured basemap hosts for tiles, and the inline script of index.html by its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remap-csp-'));
    const inline = "\n      window.__remapEarly = { collections: fetch('/api/collections') };\n    ";
    writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><script>${inline}</script><script type="module" src="/assets/app.js"></script></head><body></body></html>`);
    const withBasemap = withAuthorization(await buildApp(db, {
      ...TEST_LIMITS, logLevel: 'silent', clientDir: `${dir}/`,
      basemap: { tiles: ['https://tile.example.org:8443/{z}/{x}/{y}.png', 'https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}'], attribution: 'x' },
    }), adminAuth);
    try {
      const r = await withBasemap.inject({ url: '/' });
      expect(r.statusCode).toBe(200);
      const policy = csp(r.headers['content-security-policy']);
      const hash = `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;
      expect(policy['script-src']).toEqual(["'self'", hash]);
      expect(policy['connect-src']).toEqual(["'self'", 'https://tile.example.org:8443', 'https://t0.tianditu.gov.cn']);
      expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://tile.example.org:8443', 'https://t0.tianditu.gov.cn']);
    } finally {
      await withBasemap.close();
    }
  });
});

describe('a 500', () => {
  it('says only that something went wrong, with the request id of the X-Request-Id header: no stack, no SQL', async () => {
    let broken = false;
    const secret = 'relation "secret_table" does not exist: SELECT password FROM secret_table WHERE id = $1';
    // The same database, except that every query fails while `broken` is set (also those run in
    // a transaction, as the tiles are on real PostgreSQL).
    const failing = new Proxy(db, {
      get(target, key) {
        if ((key === 'query' || key === 'exec' || key === 'transaction') && broken) {
          return async () => {
            throw Object.assign(new Error(secret), { code: '42P01', where: 'PL/pgSQL function x() line 3' });
          };
        }
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // Public reads let the GETs reach their routes without a token lookup (which the broken
    // database would fail first); the POST's token lookup is itself a query that fails.
    const sick = withAuthorization(await buildApp(failing, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, publicRead: true }), adminAuth);
    try {
      broken = true;
      for (const req of [
        { url: '/api/collections/roads/items', headers: { authorization: undefined } },
        { url: '/api/tiles/roads/10/843/414.mvt', headers: { authorization: undefined } },
        { method: 'POST' as const, url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic' })) },
      ]) {
        const r = await sick.inject(req);
        expect(r.statusCode, r.body).toBe(500);
        const body = r.json();
        expect(Object.keys(body).sort()).toEqual(['error', 'message']);
        expect(body.error).toBe('internal_error');
        const id = r.headers['x-request-id'] as string;
        expect(id).toBeTruthy();
        expect(body.message).toBe(`something went wrong on the server; the request id ${id} is in its log`);
        for (const leak of ['secret_table', 'SELECT', 'password', '42P01', 'PL/pgSQL', ' at ', '.ts:', 'node_modules']) expect(r.body).not.toContain(leak);
      }
    } finally {
      broken = false;
      await sick.close();
    }
  });
});
