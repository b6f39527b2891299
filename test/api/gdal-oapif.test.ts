/**
 * GDAL's OGC API – Features driver reads every collection (the driver QGIS uses as well), with
 * paging through next links. Needs ogrinfo/ogr2ogr from Debian's gdal-bin (.ci/run installs it).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server-process.js';
import { testDb, resetData } from '../helpers/db.js';
import { COLLECTIONS } from '../../server/collections/registry.js';

const haveGdal = existsSync('/usr/bin/ogrinfo');
if (!haveGdal && process.env.REQUIRE_ALL_TIERS === '1') throw new Error('ogrinfo (gdal-bin) is needed for this test');

const ring = (x: number, y: number, d = 0.002) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const samples: Record<string, { geometry: unknown; properties: Record<string, unknown> }> = {
  roads: { geometry: { type: 'LineString', coordinates: [[117.1, 32.9], [117.2, 32.95]] }, properties: { code: 'S225', name: '225省道', class: 'provincial', width_m: 12 } },
  villages: { geometry: { type: 'Polygon', coordinates: ring(117.1, 32.9, 0.02) }, properties: { name: '杨圩村', township: '包集镇' } },
  waterways: { geometry: { type: 'LineString', coordinates: [[117.1, 33], [117.3, 33.01]] }, properties: { name: '茨淮新河', kind: 'canal' } },
  garbage_points: { geometry: { type: 'Point', coordinates: [117.15, 32.93] }, properties: { category: 'domestic', volume_t: 0.5 } },
  sanitation_facilities: { geometry: { type: 'Point', coordinates: [117.16, 32.93] }, properties: { kind: 'bin', condition: 'damaged' } },
  afforestation_plots: { geometry: { type: 'Polygon', coordinates: ring(117.2, 32.9) }, properties: { plot_code: 'ZL-1', year: 2026, planned_mu: 50.5, species: '石榴' } },
  demolition_sites: { geometry: { type: 'Point', coordinates: [117.17, 32.94] }, properties: { kind: 'dry_toilet', status: 'marked', deadline: '2026-12-01' } },
  patrols: { geometry: { type: 'LineString', coordinates: [[117.18, 32.95], [117.19, 32.951]] }, properties: { inspector: '周建国', patrolled_on: '2026-11-02' } },
  findings: { geometry: { type: 'Point', coordinates: [117.18, 32.94] }, properties: { category: 'straw_pile', description: '柴草堆放路肩', inspector: '张建国' } },
};

let server: RunningServer;
/** GDAL sends the admin's API token with every request, as a QGIS user would configure it. */
let gdalEnv: NodeJS.ProcessEnv;
const databaseUrl = inject('databaseUrl');

describe.skipIf(!haveGdal)('GDAL OAPIF driver', () => {
  beforeAll(async () => {
    let env: Record<string, string>;
    if (databaseUrl) {
      await resetData(await testDb());
      env = { DATABASE_URL: databaseUrl };
    } else env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'remap-gdal-')) };
    server = await startServer({ ...env, SEED_DEMO: '0' });
    for (const [id, f] of Object.entries(samples)) {
      const n = id === 'garbage_points' ? 230 : 3;
      const features = Array.from({ length: n }, () => ({ type: 'Feature', ...f }));
      const r = await server.authFetch(`/api/import/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'FeatureCollection', features }) });
      expect(r.status).toBe(201);
    }
    gdalEnv = { ...process.env, CPL_DEBUG: 'OFF', GDAL_HTTP_HEADERS: `Authorization: ${(await server.authHeaders()).authorization}` };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is refused without the token (the data is not public)', () => {
    expect(() => execFileSync('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/api`], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, GDAL_HTTP_HEADERS: undefined } })).toThrow();
  });

  it('lists every collection as a layer', () => {
    const out = execFileSync('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/api`], { encoding: 'utf8', env: gdalEnv });
    for (const c of COLLECTIONS) expect(out).toContain(c.id);
  });

  it('reads every feature of every collection with its attributes, paging through next links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'remap-ogr-'));
    for (const c of COLLECTIONS) {
      const file = join(dir, `${c.id}.geojson`);
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', file, `OAPIF:${server.url}/api`, c.id], { encoding: 'utf8', env: gdalEnv });
      const fc = JSON.parse(readFileSync(file, 'utf8'));
      expect(fc.features.length, c.id).toBe(c.id === 'garbage_points' ? 230 : 3);
      const props = fc.features[0].properties;
      for (const [k, v] of Object.entries(samples[c.id].properties)) expect(props[k], `${c.id}.${k}`).toEqual(v);
    }
  });
});
