/**
 * The streamed GeoJSON reader against JSON.parse: the same features from documents cut into
 * chunks of every small size (so each token is split by a chunk's end somewhere), members in any
 * order, and a clear refusal for what is not JSON or not GeoJSON.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGeoJson } from '../../server/formats/read-geojson.js';

const dir = mkdtempSync(join(tmpdir(), 'remap-geojson-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `doc-${n++}.json`);
  writeFileSync(path, text);
  return path;
}

async function all(path: string, chunkBytes?: number) {
  const opened = await openGeoJson(path, 'file', chunkBytes);
  const features = [];
  for await (const b of opened.batches(3)) features.push(...b);
  return { opened, features };
}

const features = [
  { type: 'Feature', geometry: { type: 'Point', coordinates: [117.1, 32.9] }, properties: { name: '包集村 "东" \\ 组', n: -1.5e-3, ok: true, none: null } },
  { type: 'Feature', geometry: { type: 'LineString', coordinates: [[117, 33], [117.1, 33.1]] }, properties: { text: 'a}b]c{d[e,f:g', emoji: '🚮' } },
  { type: 'Feature', id: 7, geometry: null, properties: {} },
  { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { nested: { a: [1, [2, { b: '\u0000' }]] } } },
];

describe('streamed GeoJSON', () => {
  it('gives what JSON.parse gives, whatever the chunk size, with a BOM and a crs member after the features', async () => {
    const doc = { type: 'FeatureCollection', name: 'x', features, crs: { type: 'name', properties: { name: 'EPSG:4490' } } };
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(doc, null, 1))]);
    const path = file(text);
    for (const size of [1, 2, 3, 5, 7, 13, 64, 1 << 20]) {
      const { opened, features: got } = await all(path, size);
      expect(got, `chunks of ${size}`).toEqual(features);
      expect(opened.count).toBe(4);
      expect(opened.kind).toBe('FeatureCollection');
      expect(opened.crs?.name, `chunks of ${size}`).toMatch(/China Geodetic Coordinate System 2000/);
      expect(opened.sample).toEqual(features);
      expect(opened.fields).toEqual(expect.arrayContaining(['name', 'text', 'nested']));
    }
  });

  it('reads a file holding one Feature, and an empty FeatureCollection', async () => {
    const one = await all(file(JSON.stringify(features[0])), 4);
    expect(one.opened.kind).toBe('Feature');
    expect(one.features).toEqual([features[0]]);
    const none = await all(file('{"type":"FeatureCollection","features":[]}'), 2);
    expect(none.opened.count).toBe(0);
    expect(none.features).toEqual([]);
  });

  it('refuses what is not valid JSON, saying where', async () => {
    const bad: [string, RegExp][] = [
      ['{"type": "FeatureCollection", "features": [', /ends early/],
      ['{"type": "FeatureCollection" "features": []}', /"," or "}" was expected at byte 29/],
      ['{"type": "FeatureCollection", "features": [{"type":"Feature"} {"type":"Feature"}]}', /"," or "]" was expected between features/],
      ['{"type": "FeatureCollection", "features": [{"type":"Feature",}]}', /feature 0/],
      ['{"type": "FeatureCollection", "features": []} {}', /more JSON after the end/],
      ['{"type": "FeatureCollection", "features": [], }', /a member name was expected/],
      ['{"type": FeatureCollection, "features": []}', /type/],
      ['{"type":"Feature","__proto__":{"admin":true}}', /__proto__|prototype/i],
      ['{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":{"x":1}}}]}', /feature 0/],
      ['', /empty/],
    ];
    for (const [text, message] of bad) {
      const e = await all(file(text), 3).then(() => undefined, (x: { statusCode: number; code: string; message: string }) => x);
      expect(e, text).toMatchObject({ statusCode: 400, code: 'invalid_json' });
      expect(e!.message, text).toMatch(/the file is not valid JSON/);
      expect(e!.message, text).toMatch(message);
    }
  });

  it('refuses JSON that is not GeoJSON', async () => {
    for (const text of ['[]', '42', '"x"', 'null', '{"type":"Topology"}', '{"features": {}}']) {
      const e = await all(file(text)).then(() => undefined, (x: { statusCode: number; message: string }) => x);
      expect(e, text).toMatchObject({ statusCode: 400 });
      expect(e!.message, text).toMatch(/not a GeoJSON FeatureCollection/);
    }
  });
});
