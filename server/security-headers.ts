/**
 * Security headers (@fastify/helmet) and the Content-Security-Policy the map client needs,
 * built from the configuration so an online basemap is allowed exactly when one is set.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import type { Config } from './config.js';

/** Origins (scheme://host[:port]) of the basemap's tile templates. */
export function basemapOrigins(basemap: Config['basemap']): string[] {
  if (!basemap) return [];
  return [...new Set(basemap.tiles.map((t) => new URL(t.replace(/[{}]/g, '')).origin))];
}

/**
 * 'sha256-…' sources for the inline scripts of the built index.html (it starts the first API
 * request before the bundle loads), so script-src can stay 'self' without 'unsafe-inline'.
 */
export function inlineScriptHashes(indexHtml: string): string[] {
  const out: string[] = [];
  for (const m of indexHtml.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    out.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return out;
}

export function cspDirectives(basemap: Config['basemap'], scriptHashes: string[]): Record<string, string[]> {
  const tiles = basemapOrigins(basemap);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...scriptHashes],
    // MapLibre and loaders.gl start their workers from the app's files or from blob: URLs.
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    // React and MapLibre set inline styles; the favicon and canvas snapshots are data:/blob: images.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...tiles],
    'font-src': ["'self'", 'data:'],
    // The API, and the online basemap's tiles when one is configured (MapLibre fetches them).
    'connect-src': ["'self'", ...tiles],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

export async function registerSecurityHeaders(app: FastifyInstance, basemap: Config['basemap'], indexHtmlPath: string | null): Promise<void> {
  const hashes = indexHtmlPath ? inlineScriptHashes(readFileSync(indexHtmlPath, 'utf8')) : [];
  await app.register(fastifyHelmet, {
    // useDefaults off: helmet's default adds upgrade-insecure-requests, which would send a
    // browser on http://<lan-address>:8080 to https:// for every request.
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(basemap, hashes) },
  });
}
