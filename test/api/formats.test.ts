/**
 * Files in and out: every export format imports back to the same features and attributes
 * (Chinese text intact), Shapefiles in CGCS2000 Gauss-Krüger with GBK attributes land on their
 * control point to the centimetre, GCJ-02 is undone against published pairs, and bad files are
 * refused with what to fix while nothing is written.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { zipSync, unzipSync, strToU8 } from 'fflate';
import { testApp, json, feature, point, line, withAuthorization, TEST_LIMITS } from '../helpers/app.js';
import { buildApp } from '../../server/app.js';
import type { Db } from '../../server/db/index.js';
import { gaussKruger, multipart, pointShapefile, prjZone39 } from '../helpers/formats.js';

let app: FastifyInstance;
let db: Db;
let adminAuth: string;
beforeAll(async () => {
  ({ app, db, adminAuth } = await testApp());
});
afterAll(async () => {
  await app.close();
});

const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const count = async (c: string) => (await app.inject(`/api/collections/${c}/items?limit=1`)).json().numberMatched as number;
const getItem = async (c: string, id: number) => (await app.inject(`/api/collections/${c}/items/${id}`)).json();

const POINTS = [
  feature(point(117.1234567, 32.9876543), { category: '建筑垃圾', status: 'assigned', volume_t: 2.5, description: '路边堆放，“包集村”东侧', reported_at: '2026-10-05T08:30:00+08:00' }),
  feature(point(117.2, 32.95), { category: 'domestic', status: 'reported', volume_t: 0.75, reported_at: '2026-10-06T00:00:00Z' }),
  feature(point(117.05, 33.01), { category: '秸秆柴草', status: 'cleared', description: 'é ü, 逗号, "quotes"', reported_at: '2026-09-01T10:00:00+08:00', cleared_at: '2026-09-03T10:00:00+08:00' }),
];
const ROADS = [
  feature(line([[117.1, 32.9], [117.11, 32.91], [117.125, 32.915]]), { code: 'S225', name: '淮河路（省道）', class: 'provincial', width_m: 12.5 }),
  feature({ type: 'MultiLineString', coordinates: [[[117.2, 32.9], [117.21, 32.9]], [[117.22, 32.9], [117.23, 32.91]]] }, { code: 'X043', name: '石山路', class: 'county' }),
];

async function seed(collection: string, features: unknown[]): Promise<number[]> {
  const r = await app.inject({ method: 'POST', url: `/api/import/${collection}`, ...json(fc(features)) });
  expect(r.statusCode).toBe(201);
  return r.json().ids;
}

function sameProperties(collection: string, a: Record<string, unknown>, b: Record<string, unknown>, names: string[]) {
  for (const n of names) {
    const x = a[n] ?? null;
    const y = b[n] ?? null;
    if (typeof x === 'string' && /^\d{4}-\d\d-\d\dT/.test(x)) expect(Date.parse(String(y)), `${collection}.${n}`).toBe(Date.parse(x));
    else expect(y, `${collection}.${n}`).toEqual(x);
  }
}

function sameGeometry(a: { type: string; coordinates: unknown }, b: { type: string; coordinates: unknown }, tolerance: number) {
  const flat = (c: unknown): number[] => (typeof c === 'number' ? [c] : (c as unknown[]).flatMap(flat));
  expect(b.type.replace('Multi', '')).toBe(a.type.replace('Multi', ''));
  const fa = flat(a.coordinates);
  const fb = flat(b.coordinates);
  expect(fb.length).toBe(fa.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i])).toBeLessThan(tolerance));
}

describe('export then import gives the same features', () => {
  const cases: [string, string, string[]][] = [
    ['garbage_points', 'category,status,volume_t,description,reported_at,cleared_at', []],
    ['roads', 'code,name,class,width_m', []],
  ];
  for (const format of ['geojson', 'shp', 'gpkg', 'kml', 'csv', 'xlsx']) {
    for (const [collection, props] of cases) {
      it(`${format}: ${collection}`, async () => {
        const originals = collection === 'roads' ? ROADS : POINTS;
        const ids = await seed(collection, originals);
        const encoding = format === 'shp' ? '&encoding=gbk' : '';
        const exported = await app.inject(`/api/export/${collection}?f=${format}${encoding}`);
        expect(exported.statusCode).toBe(200);
        expect(exported.headers['content-disposition']).toMatch(new RegExp(`attachment; filename=".*${collection}.*"`));
        const file = exported.rawPayload;
        const imported = await app.inject({ method: 'POST', url: `/api/import/${collection}`, ...multipart(`export.${format === 'shp' ? 'zip' : format}`, file) });
        expect(imported.statusCode, imported.body).toBe(201);
        const body = imported.json();
        // The export holds every feature of the collection (earlier cases' too); compare ours.
        const all = (await app.inject(`/api/collections/${collection}/items?limit=1000`)).json().features as { id: number; properties: Record<string, unknown>; geometry: never }[];
        const byId = new Map(all.map((f) => [f.id, f]));
        const newOnes = (body.ids as number[]).map((id) => byId.get(id)!);
        for (const [k, id] of ids.entries()) {
          const before = byId.get(id)!;
          const after = newOnes.find((f) => f.properties.source && (f.properties.source as { id?: unknown }).id !== undefined && Number((f.properties.source as { id: unknown }).id) === id)
            ?? newOnes.find((f) => JSON.stringify(f.geometry) === JSON.stringify(before.geometry));
          expect(after, `feature ${k} came back`).toBeDefined();
          sameProperties(collection, before.properties, after!.properties, props.split(','));
          sameGeometry(before.geometry, after!.geometry, 1e-8);
        }
      });
    }
  }

  it('the attributes an import kept (source) are columns of every table format and come back as source', async () => {
    const extras = { BSM: 'A-0017', 备注: '东侧"堆放", <旧>', 面积: 12.5, 类别: 'clash with a label', nested: { a: 1 } };
    const [id] = await seed('garbage_points', [feature(point(119.5, 31.5), { category: '建筑垃圾', status: 'reported', reported_at: '2026-10-05T08:30:00+08:00', ...extras })]);
    expect((await getItem('garbage_points', id)).properties.source).toEqual(extras);
    // Attributes named like a column or its label are exported under src_ and so stay apart.
    await db.query(`UPDATE garbage_points SET source = source || '{"status": "旧状态"}' WHERE id = $1`, [id]);
    for (const format of ['shp', 'gpkg', 'kml', 'csv', 'xlsx']) {
      const exported = await app.inject(`/api/export/garbage_points?f=${format}&bbox=119.4,31.4,119.6,31.6${format === 'shp' ? '&encoding=gbk' : ''}`);
      expect(exported.statusCode, format).toBe(200);
      const imported = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart(`export.${format === 'shp' ? 'zip' : format}`, exported.rawPayload) });
      expect(imported.statusCode, `${format}: ${imported.body}`).toBe(201);
      const back = await getItem('garbage_points', imported.json().ids[0]);
      expect(back.properties.status, format).toBe('reported');
      const source = back.properties.source as Record<string, unknown>;
      expect(source, format).toMatchObject({ BSM: 'A-0017', 备注: '东侧"堆放", <旧>', nested: '{"a":1}', src_status: '旧状态', src_类别: 'clash with a label' });
      // A number column; KML and CSV have text only.
      expect(source.面积, format).toBe(['kml', 'csv'].includes(format) ? '12.5' : 12.5);
      // The ID column (a GeoPackage's fid is its row key, not an attribute) is the id in the file.
      if (format !== 'gpkg') expect(Number(source.id ?? source.ID), `${format}: the exported ID is the file's id`).toBe(id);
      // The copy goes, so that the next format exports the one feature again.
      expect((await app.inject({ method: 'DELETE', url: `/api/collections/garbage_points/items/${back.id}` })).statusCode).toBe(204);
    }
  });

  it('exports in CGCS2000 Gauss-Krüger zone 39 (CSV x/y) and reads it back to the same place', async () => {
    const ids = await seed('garbage_points', [POINTS[0]]);
    const r = await app.inject(`/api/export/garbage_points?f=csv&crs=EPSG:4527`);
    expect(r.statusCode).toBe(200);
    const text = r.body.replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\n');
    // Then the attributes that earlier imports kept (source), then the coordinates.
    expect(header).toMatch(/^ID,类别,状态,垃圾量,描述,上报时间,清运时间,(.+,)?x,y$/);
    const row = rows.find((l) => l.startsWith(`${ids[0]},`))!;
    const [x, y] = row.split(',').slice(-2).map(Number);
    const [e, n] = gaussKruger(117.1234567, 32.9876543, 117);
    expect(Math.abs(x - (39_000_000 + e))).toBeLessThan(0.01);
    expect(Math.abs(y - n)).toBeLessThan(0.01);
  });

  it('GeoJSON exported in a Gauss-Krüger zone (with its crs member) imports back to the same place', async () => {
    const ids = await seed('roads', [feature(line([[118.1, 32.9], [118.11, 32.91], [118.125, 32.915]]), { code: 'Z903', name: '东环路', class: 'village' })]);
    const r = await app.inject('/api/export/roads?f=geojson&crs=EPSG:4548&bbox=118.05,32.85,118.2,32.95');
    expect(r.json().crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4548');
    expect(r.json().features.map((f: { id: number }) => f.id)).toEqual(ids);
    expect(r.json().features[0].geometry.coordinates[0][0]).toBeGreaterThan(500_000);
    const back = await app.inject({ method: 'POST', url: '/api/import/roads?dryRun=true', ...multipart('roads.geojson', r.rawPayload, 'application/geo+json') });
    expect(back.statusCode, back.body).toBe(200);
    sameGeometry((await getItem('roads', ids[0])).geometry, back.json().preview[0].geometry, 1e-8);
  });

  it('items answer f=csv and f=kml (and the Accept header)', async () => {
    await seed('garbage_points', [POINTS[0]]);
    const csv = await app.inject('/api/collections/garbage_points/items?f=csv&limit=5');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.replace(/^\uFEFF/, '').split('\n')[0]).toBe('ID,类别,状态,垃圾量,描述,上报时间,清运时间,lon,lat');
    const kml = await app.inject({ url: '/api/collections/garbage_points/items?limit=5', headers: { accept: 'application/vnd.google-earth.kml+xml' } });
    expect(kml.headers['content-type']).toMatch(/kml/);
    expect(kml.body).toContain('<Placemark>');
    expect(kml.body).toContain('建筑垃圾');
  });
});

describe('Shapefiles in CGCS2000 Gauss-Krüger with GBK attributes', () => {
  // Control point: WGS84 117.1234567 E, 32.9876543 N; its zone-39 coordinates from the
  // independent series above (and, when GDAL is installed, checked against gdaltransform).
  const lon = 117.1234567;
  const lat = 32.9876543;
  const [e, n] = gaussKruger(lon, lat, 117);
  const fields = [{ property: 'LB', type: 'C' as const }, { property: 'MS', type: 'C' as const }, { property: 'volume_t', type: 'N' as const, decimals: 3 }];
  const props = { LB: '建筑垃圾', MS: '包集村东，S225 K3+200 路北', volume_t: 1.5 };

  it('the series agrees with GDAL to the millimetre (skipped without GDAL)', (ctx) => {
    let out: string;
    try {
      out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:4527', '-output_xy'], { input: `${lon} ${lat}\n` }).toString();
    } catch {
      return ctx.skip();
    }
    const [gx, gy] = out.trim().split(/\s+/).map(Number);
    expect(Math.abs(gx - (39_000_000 + e))).toBeLessThan(0.001);
    expect(Math.abs(gy - n)).toBeLessThan(0.001);
  });

  for (const [label, prefixed, cpg] of [['zone prefix, .cpg GBK', true, 'GBK'], ['no prefix, no .cpg (GBK detected)', false, undefined]] as const) {
    it(`lands on the control point within 1 cm (${label})`, async () => {
      const zip = pointShapefile('垃圾点', [{ x: prefixed ? 39_000_000 + e : e, y: n, props }], { prj: prjZone39(prefixed), cpg, encoding: 'gbk', fields });
      const r = await app.inject({ method: 'POST', url: `/api/import/garbage_points?mapping=${encodeURIComponent(JSON.stringify({ category: 'LB', description: 'MS' }))}`, ...multipart('垃圾点.zip', zip, 'application/zip') });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ format: 'shp', encoding: 'gbk' });
      const f = await getItem('garbage_points', r.json().ids[0]);
      expect(f.properties).toMatchObject({ category: '建筑垃圾', description: '包集村东，S225 K3+200 路北', volume_t: 1.5 });
      const [x, y] = f.geometry.coordinates;
      // 1 cm is about 1.07e-7° of longitude and 0.9e-7° of latitude here.
      expect(Math.abs(x - lon) * 93_500).toBeLessThan(0.01);
      expect(Math.abs(y - lat) * 110_900).toBeLessThan(0.01);
    });
  }

  it('a prefixed easting under an unprefixed CRS is read by its prefix; another zone is refused', async () => {
    const zip = pointShapefile('p', [{ x: 39_000_000 + e, y: n, props }], { prj: prjZone39(false), encoding: 'gbk', cpg: 'GBK', fields });
    const ok = await app.inject({ method: 'POST', url: '/api/import/garbage_points?dryRun=true&mapping=' + encodeURIComponent('{"category":"LB"}'), ...multipart('p.zip', zip) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(Math.abs(ok.json().preview[0].geometry.coordinates[0] - lon)).toBeLessThan(1e-7);
    const wrong = pointShapefile('p', [{ x: 40_000_000 + e, y: n, props }], { prj: prjZone39(false), encoding: 'gbk', cpg: 'GBK', fields });
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points?dryRun=true', ...multipart('p.zip', wrong) });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/zone prefix 40/);
  });

  it('the crs parameter places a Shapefile without .prj; without either it is an unknown projection', async () => {
    const zip = pointShapefile('p', [{ x: e, y: n, props }], { encoding: 'utf-8', cpg: 'UTF-8', fields });
    const before = await count('garbage_points');
    const none = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('p.zip', zip) });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/unknown projection.*crs=EPSG/);
    // The code lets the import dialog point at its own 坐标系 control instead of ?crs=.
    expect(none.json().error).toBe('unknown_projection');
    expect(await count('garbage_points')).toBe(before);
    const given = await app.inject({ method: 'POST', url: '/api/import/garbage_points?crs=EPSG:4548&mapping=' + encodeURIComponent('{"category":"LB"}'), ...multipart('p.zip', zip) });
    expect(given.statusCode, given.body).toBe(201);
    expect(Math.abs((await getItem('garbage_points', given.json().ids[0])).geometry.coordinates[1] - lat)).toBeLessThan(1e-7);
  });
});

describe('GCJ-02', () => {
  // Published reference pairs (eviltransform's test vectors: WGS84 → GCJ-02).
  const PAIRS = [
    [121.5272106, 31.1774276, 121.531541859215, 31.17530398364597],
    [113.912316, 22.543847, 113.9171764808363, 22.540796131694766],
    [116.377817, 39.911954, 116.38404722455657, 39.91334545536069],
  ];
  it('crs=gcj02 stores WGS84 (within 5 cm of the reference), never the offset coordinates', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points?crs=gcj02', ...json(fc(PAIRS.map(([, , gx, gy]) => feature(point(gx, gy), { category: 'domestic' })))) });
    expect(r.statusCode, r.body).toBe(201);
    for (const [i, id] of (r.json().ids as number[]).entries()) {
      const [x, y] = (await getItem('garbage_points', id)).geometry.coordinates;
      expect(Math.abs(x - PAIRS[i][0]) * 95_000).toBeLessThan(0.05);
      expect(Math.abs(y - PAIRS[i][1]) * 111_000).toBeLessThan(0.05);
    }
  });

  it('warns when points fit the roads far better as GCJ-02', async () => {
    await seed('roads', [feature(line([[117.0, 32.9], [117.3, 32.9]]), { code: 'S999', name: '测试路', class: 'provincial' })]);
    // Points on the road, shifted as a GCJ-02 map would show them.
    const gcoord = (await import('gcoord')).default;
    const shifted = [117.05, 117.1, 117.15, 117.2, 117.25].map((x) => gcoord.transform([x, 32.9] as [number, number], gcoord.WGS84, gcoord.GCJ02));
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points?dryRun=true', ...json(fc(shifted.map((p) => feature(point(p[0], p[1]), { category: 'domestic' })))) });
    expect(r.statusCode).toBe(200);
    expect(r.json().file_warnings.join(' ')).toMatch(/crs=gcj02/);
  });
});

describe('other formats and bad files', () => {
  it('GPX: tracks, routes and waypoints; names map through mapping; invalid rows listed before anything is written', async () => {
    const gpx = `<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
      <wpt lat="32.9" lon="117.1"><name>垃圾堆一</name><time>2026-10-05T01:00:00Z</time></wpt>
      <rte><name>巡查路线</name><rtept lat="32.9" lon="117.1"/><rtept lat="32.91" lon="117.11"/></rte>
      <trk><name>十月五日巡查</name><trkseg><trkpt lat="32.9" lon="117.1"><time>2026-10-05T01:00:00Z</time></trkpt><trkpt lat="32.91" lon="117.12"><time>2026-10-05T01:10:00Z</time></trkpt></trkseg></trk>
    </gpx>`;
    const mapping = encodeURIComponent(JSON.stringify({ code: 'name', name: 'name' }));
    const r = await app.inject({ method: 'POST', url: `/api/import/roads?dryRun=true&mapping=${mapping}`, headers: { 'content-type': 'application/gpx+xml' }, payload: gpx });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.format).toBe('gpx');
    expect(body.preview.map((f: { properties: { gpx_type: string } }) => f.properties.gpx_type)).toEqual(['track', 'route', 'waypoint']);
    expect(body.preview[0].properties).toMatchObject({ code: '十月五日巡查', name: '十月五日巡查', time: '2026-10-05T01:00:00Z' });
    // class is required and absent; the waypoint is not a line: every row is listed.
    expect(body.invalid.map((i: { index: number }) => i.index)).toEqual([0, 1, 2]);
    expect(body.invalid[2].reason).toMatch(/Point is not allowed/);
  });

  it('GPX: a point\'s time maps to a date property as its day in Asia/Shanghai', async () => {
    const gpx = `<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="32.9" lon="117.1"><name>猪圈</name><time>2026-10-05T17:30:00Z</time><type>pig_pen</type></wpt></gpx>`;
    const mapping = encodeURIComponent(JSON.stringify({ deadline: 'time', kind: 'type' }));
    const r = await app.inject({ method: 'POST', url: `/api/import/demolition_sites?mapping=${mapping}`, ...multipart('track.gpx', Buffer.from(gpx), 'application/gpx+xml') });
    expect(r.statusCode, r.body).toBe(201);
    const f = await getItem('demolition_sites', r.json().ids[0]);
    // 17:30 UTC is 01:30 the next day in Shanghai.
    expect(f.properties).toMatchObject({ kind: 'pig_pen', deadline: '2026-10-06', source: { name: '猪圈', gpx_type: 'waypoint' } });
  });

  it('GPX into patrols: a phone\'s track becomes the uploader\'s patrol on the day of its time, without a mapping', async () => {
    const gpx = `<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>早班巡查</name><trkseg>
      <trkpt lat="32.9" lon="117.1"><time>2026-10-05T23:10:00Z</time></trkpt><trkpt lat="32.901" lon="117.102"><time>2026-10-05T23:40:00Z</time></trkpt>
      </trkseg></trk></gpx>`;
    const r = await app.inject({ method: 'POST', url: '/api/import/patrols', ...multipart('track.gpx', Buffer.from(gpx), 'application/gpx+xml') });
    expect(r.statusCode, r.body).toBe(201);
    const f = await getItem('patrols', r.json().ids[0]);
    // 23:10 UTC is 07:10 the next morning in Shanghai; the uploader (the test's admin) patrolled.
    expect(f.properties).toMatchObject({ patrolled_on: '2026-10-06', inspector: 'test-admin' });
    expect(Date.parse(f.properties.started_at)).toBe(Date.parse('2026-10-05T23:10:00Z'));
    expect(f.geometry.type).toBe('LineString');
  });

  it('KMZ (zipped KML) and XLSX with Chinese headers and labels for enumerations', async () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>点</name><ExtendedData><Data name="类别"><value>有害垃圾</value></Data><Data name="状态"><value>已清运</value></Data></ExtendedData><Point><coordinates>117.1,32.9,0</coordinates></Point></Placemark></Document></kml>`;
    const kmz = zipSync({ 'doc.kml': strToU8(kml) });
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('a.kmz', kmz) });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().format).toBe('kmz');
    expect((await getItem('garbage_points', r.json().ids[0])).properties).toMatchObject({ category: '有害垃圾', status: 'cleared' });
  });

  it('CSV in GBK with 经度/纬度 columns; a bad row is listed with its row number', async () => {
    const iconv = (await import('iconv-lite')).default;
    const csv = iconv.encode('类别,经度,纬度,垃圾量\n生活垃圾,117.1,32.9,1.5\n建筑垃圾,abc,32.9,2\n', 'gbk');
    const before = await count('garbage_points');
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(r.statusCode).toBe(422);
    expect(r.json().details[0]).toMatchObject({ index: 1 });
    expect(r.json().details[0].reason).toMatch(/row 3: the coordinates "abc"/);
    // With a code, for the import dialog to say it in Chinese (第 3 行的坐标 "abc"、"32.9" 不是数字).
    expect(r.json().details[0].errors).toEqual([{ property: 'geometry', reason: r.json().details[0].reason, code: 'coordinates_not_numbers', params: { row: 3, x: '"abc"', y: '"32.9"' } }]);
    expect(await count('garbage_points')).toBe(before);
    const ok = await app.inject({ method: 'POST', url: '/api/import/garbage_points?skipInvalid=true', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ imported: 1, encoding: 'gbk' });
    expect((await getItem('garbage_points', ok.json().ids[0])).properties).toMatchObject({ category: '生活垃圾', volume_t: 1.5 });
  });

  it('refuses bad files with what to fix and writes nothing', async () => {
    const before = await count('garbage_points');
    const fields = [{ property: 'LB', type: 'C' as const }];
    // The error codes are the ones the import dialog says in Chinese (server/errors.ts FILE_ERROR_CODES).
    const tries: [ReturnType<typeof multipart>, number, RegExp, string][] = [
      [multipart('a.zip', strToU8('not a zip at all')), 400, /not a zip archive/, 'unreadable_file'],
      [multipart('a.zip', pointShapefile('a', [{ x: 117, y: 33, props: { LB: 'x' } }], { encoding: 'utf-8', fields, omit: ['dbf'] })), 400, /no \.dbf/, 'incomplete_shapefile'],
      [multipart('a.zip', pointShapefile('a', [{ x: 117, y: 33, props: { LB: 'x' } }], { encoding: 'utf-8', fields, omit: ['shp', 'shx'] })), 400, /no \.shp/, 'incomplete_shapefile'],
      [multipart('a.zip', pointShapefile('a', [{ x: 500000, y: 3600000, props: { LB: 'x' } }], { encoding: 'utf-8', fields, prj: 'PROJCS["Lambert",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],UNIT["Meter",1.0]]' })), 400, /unknown projection/, 'unknown_projection'],
      [multipart('a.zip', pointShapefile('a', [{ x: 117, y: 33, props: { LB: '建筑垃圾' } }], { encoding: 'gbk', fields })), 400, /encoding/, 'wrong_encoding'],
      [multipart('a.txt', strToU8('just some words\nand more')), 400, /no coordinate columns/, 'no_coordinates'],
      [multipart('a.shp', strToU8('shapes without their parts')), 400, /a Shapefile is several files/, 'incomplete_shapefile'],
      [multipart('a.xml', strToU8('<?xml version="1.0"?><svg></svg>')), 400, /neither KML .* nor GPX/, 'unsupported_file'],
      [multipart('a.csv', strToU8('category,lon,lat\n')), 400, /no data rows/, 'no_features'],
    ];
    for (const [i, [req, status, message, code]] of tries.entries()) {
      const url = i === 4 ? '/api/import/garbage_points?encoding=utf-8' : '/api/import/garbage_points';
      const r = await app.inject({ method: 'POST', url, ...req });
      expect(r.statusCode, `case ${i}: ${r.body}`).toBe(status);
      expect(r.json().message, `case ${i}`).toMatch(message);
      expect(r.json().error, `case ${i}`).toBe(code);
    }
    expect(await count('garbage_points')).toBe(before);
  });

  it('a zip that would unpack past the limit is refused before it is inflated (413); one that lies about a size is refused (400)', async () => {
    // Deflated, declaring 1 GB for a.shp in its central directory entry, as a zip bomb would.
    const bomb = Buffer.from(zipSync({ 'a.shp': new Uint8Array(1000), 'a.dbf': new Uint8Array(1000) }, { level: 9 }));
    const cd = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(1024 ** 3, cd + 24);
    bomb.writeUInt32LE(1024 ** 3, 22);
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('bomb.zip', bomb) });
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toMatch(/zip bomb/);
    // Stored, declaring more than it holds: nothing is unpacked past what it says.
    const liar = Buffer.from(zipSync({ 'a.shp': new Uint8Array(1000), 'a.dbf': new Uint8Array(1000) }, { level: 0 }));
    const cd2 = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    liar.writeUInt32LE(5000, cd2 + 24);
    const l = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('liar.zip', liar) });
    expect(l.statusCode).toBe(400);
    expect(l.json().message).toMatch(/not a readable zip \(compressed\/uncompressed size mismatch/);
  });

  it('a file over IMPORT_MAX_MB is refused with 413 naming the limit, multipart or raw, and nothing is written', async () => {
    const small = withAuthorization(await buildApp(db, { ...TEST_LIMITS, importMaxBytes: 1024 * 1024, logLevel: 'silent', clientDir: null }), adminAuth);
    try {
      const before = await count('garbage_points');
      const csv = Buffer.from(`category,lon,lat\n${'domestic,117.1,32.9\n'.repeat(120_000)}`);
      const viaForm = await small.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('big.csv', csv, 'text/csv') });
      expect(viaForm.statusCode).toBe(413);
      expect(viaForm.json().message).toMatch(/larger than the limit of 1 MB for imports \(setting IMPORT_MAX_MB\)/);
      const raw = await small.inject({ method: 'POST', url: '/api/import/garbage_points', headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(raw.statusCode).toBe(413);
      expect(raw.json().message).toMatch(/limit of 1 MB/);
      expect(await count('garbage_points')).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('damaged files of every format get 400 saying so, never 500, and write nothing', async () => {
    const before = await count('garbage_points');
    const fields = [{ property: 'LB', type: 'C' as const }];
    const shp = pointShapefile('a', Array.from({ length: 50 }, (_, i) => ({ x: 117 + i * 1e-3, y: 33, props: { LB: 'x' } })), { encoding: 'utf-8', fields });
    const sheet = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="a" sheetId="1"/></sheets>'), 'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row><c t="s"><v>') });
    const tries: [string, Uint8Array, RegExp, RegExp][] = [
      ['cut.zip', shp.subarray(0, Math.floor(shp.length / 2)), /not a readable zip/, /^unreadable_file$/],
      ['a.xlsx', sheet, /not a readable XLSX|no data rows/, /^(unreadable_file|no_features)$/],
      ['a.gpkg', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(2000, 7)]), /not a readable SQLite file|not a GeoPackage/, /^unreadable_file$/],
      ['a.kml', strToU8('<?xml version="1.0"?><kml><Document><Placemark><Point><coordinates>117,33</coordinates></Point></Placemark><Placemark><Point><coordinates>117.1,33'), /ends before its elements close .*cut short/, /^unreadable_file$/],
      ['a.csv', strToU8(`category,lon,lat\n${'domestic,117.1,32.9\n'.repeat(20_000)}"domestic,117.1,32.9\n`), /cannot be read after row 20001 \(Quote Not Closed/, /^unreadable_file$/],
      ['a.geojson', strToU8(`{"type":"FeatureCollection","features":[${'{"type":"Feature","geometry":{"type":"Point","coordinates":[117,33]},"properties":{"category":"domestic"}},'.repeat(30_000)}`), /not valid JSON: it ends early/, /^invalid_json$/],
    ];
    for (const [name, bytes, message, code] of tries) {
      const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart(name, bytes) });
      expect(r.statusCode, `${name}: ${r.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${name}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
      expect(r.json().message, name).toMatch(message);
      expect(r.json().error, name).toMatch(code);
    }
    expect(await count('garbage_points')).toBe(before);
  });

  it('a Shapefile whose .dbf has more records than the .shp has shapes imports them in order and says so', async () => {
    const fields = [{ property: 'category', type: 'C' as const }];
    const pts = (n: number) => Array.from({ length: n }, (_, i) => ({ x: 117 + i * 1e-3, y: 33, props: { category: `c${i}` } }));
    // More than the 100 features the first look at a file reads: the mismatch shows only at the end.
    const two = unzipSync(pointShapefile('m', pts(150), { encoding: 'utf-8', fields }));
    const three = unzipSync(pointShapefile('m', pts(151), { encoding: 'utf-8', fields }));
    const zip = zipSync({ 'm.shp': two['m.shp'], 'm.shx': two['m.shx'], 'm.dbf': three['m.dbf'], 'm.prj': two['m.prj'] ?? strToU8('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]') });
    for (const url of ['/api/import/garbage_points?dryRun=true', '/api/import/garbage_points']) {
      const r = await app.inject({ method: 'POST', url, ...multipart('m.zip', zip) });
      expect(r.statusCode, r.body.slice(0, 300)).toBeLessThan(300);
      expect(r.json().file_warnings, url).toContainEqual(expect.stringMatching(/m\.shp has 150 shapes but m\.dbf 151 records; they were matched in order/));
    }
  });

  it('multipart with the file in another field is refused', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...multipart('a.geojson', strToU8(JSON.stringify(fc([POINTS[0]]))), 'application/geo+json', 'upload') });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/field named file/);
  });
});

describe('analysis tables as XLSX', () => {
  it('f=xlsx holds the same rows as f=csv, with Chinese headers', async () => {
    await seed('roads', [{ ...ROADS[0], properties: { ...ROADS[0].properties, code: 'Z901' } }]);
    const csv = await app.inject('/api/analysis/facilities?f=csv&roads=Z901');
    expect(csv.statusCode).toBe(200);
    const xlsx = await app.inject('/api/analysis/facilities?f=xlsx&roads=Z901');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toMatch(/facility-coverage-.*\.xlsx/);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.worksheets[0];
    const csvRows = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(ws.rowCount).toBe(csvRows.length);
    const header = (ws.getRow(1).values as string[]).slice(1);
    expect(header).toContain('路线编号 code');
    expect(String(ws.getRow(2).getCell(header.indexOf('路线编号 code') + 1).value)).toBe('Z901');
  });
});

describe('analysis shapes as files', () => {
  it('facilities f=shp, f=gpkg and f=kml hold the same features as f=geojson', async () => {
    await seed('roads', [{ ...ROADS[0], properties: { ...ROADS[0].properties, code: 'Z902' } }]);
    const { readFile } = await import('../../server/formats/read.js');
    const gj = (await app.inject('/api/analysis/facilities?f=geojson&roads=Z902')).json();
    expect(gj.features.length).toBeGreaterThan(0);
    for (const f of ['shp', 'gpkg', 'kml']) {
      const r = await app.inject(`/api/analysis/facilities?roads=Z902&f=${f}&crs=${f === 'kml' ? 'EPSG:4326' : 'EPSG:4490'}&encoding=gbk`);
      expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
      expect(r.headers['content-disposition']).toMatch(new RegExp(`facility-coverage-.*\\.${f === 'shp' ? 'zip' : f}`));
      const back = await readFile(r.rawPayload, { maxUnzippedBytes: 1e8 });
      expect(back.features.length, f).toBe(gj.features.length);
      expect(back.features.map((x) => x.properties.layer).sort(), f).toEqual(gj.features.map((x: { properties: { layer: string } }) => x.properties.layer).sort());
    }
  });
});

describe('large files in batches', () => {
  it('a 25,000-row GBK CSV (three batches): one bad row deep inside is listed by its index, nothing written; skipInvalid writes the rest', async () => {
    const iconv = (await import('iconv-lite')).default;
    const rows = ['类别,经度,纬度,描述'];
    for (let i = 0; i < 25_000; i++) rows.push(`建筑垃圾,${(117 + i * 1e-6).toFixed(7)},${i === 14_999 ? '999' : '32.9'},第${i}号点位，路边堆放`);
    const csv = iconv.encode(rows.join('\n'), 'gbk');
    const before = await count('garbage_points');
    const r = await app.inject({ method: 'POST', url: '/api/import/garbage_points', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toMatch(/1 of 25000 features are invalid/);
    expect(r.json().details.map((d: { index: number }) => d.index)).toEqual([14_999]);
    expect(await count('garbage_points')).toBe(before);
    const ok = await app.inject({ method: 'POST', url: '/api/import/garbage_points?skipInvalid=true', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().imported).toBe(24_999);
    expect(await count('garbage_points')).toBe(before + 24_999);
    const last = await getItem('garbage_points', ok.json().ids.at(-1));
    expect(last.properties).toMatchObject({ category: '建筑垃圾', description: '第24999号点位，路边堆放' });
  });
});
