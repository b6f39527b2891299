/**
 * Findings (巡查问题) with photos: upload and EXIF, what the server derives from the place
 * (village, road and stake, repeats), hotspots, conversion into a demolition site or garbage
 * point, and the status lifecycles of garbage points and demolition sites with their history.
 * Photos with GPS EXIF are made by test/fixtures/exif-photo.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { testApp, json, feature, line, point, square, userWithToken, TEST_LIMITS } from '../helpers/app.js';
import { buildApp } from '../../server/app.js';
import type { Db } from '../../server/db/index.js';
import { jpegWithGps } from '../fixtures/exif-photo.js';

let app: FastifyInstance;
let db: Db;
let dataDir: string;

/** A multipart/form-data body with one file part. */
export function multipart(buf: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg', field = 'file') {
  const boundary = `----remap${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    buf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload };
}

const ROAD = [[117.1, 32.9], [117.12, 32.9]];
// Village 包集村 holds the road's western half; the findings sit ~11 m north of the road.
const VILLAGE = { type: 'Polygon', coordinates: [[[117.095, 32.89], [117.11, 32.89], [117.11, 32.91], [117.095, 32.91], [117.095, 32.89]]] };

async function upload(buf: Buffer, name = 'photo.jpg', type = 'image/jpeg', auth?: string) {
  const body = multipart(buf, name, type);
  return app.inject({ method: 'POST', url: '/api/photos', payload: body.payload, headers: { ...body.headers, ...(auth ? { authorization: auth } : {}) } });
}

async function createFinding(props: Record<string, unknown>, lon = 117.105, lat = 32.9001) {
  const r = await app.inject({ method: 'POST', url: '/api/collections/findings/items', ...json(feature(point(lon, lat), props)) });
  return r;
}

const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'remap-findings-'));
  ({ app, db } = await testApp({ dataDir, photoMaxBytes: 2 * 1024 * 1024 }));
  expect((await app.inject({ method: 'POST', url: '/api/collections/villages/items', ...json(feature(VILLAGE, { name: '包集村', township: '包集镇' })) })).statusCode).toBe(201);
  expect((await app.inject({ method: 'POST', url: '/api/collections/roads/items', ...json(feature(line(ROAD), { code: 'X043', name: '包石路', class: 'county' })) })).statusCode).toBe(201);
});
afterAll(async () => {
  await app.close();
});

describe('photos', () => {
  it('stores a JPEG with its thumbnail and answers the EXIF place and time', async () => {
    const jpeg = await jpegWithGps(117.105, 32.9001, '2026:11:20 09:30:00');
    const r = await upload(jpeg);
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p.url).toBe(`/api/photos/${p.id}/original`);
    expect(p.thumbnail_url).toBe(`/api/photos/${p.id}/thumbnail`);
    expect(p.exif.lon).toBeCloseTo(117.105, 6);
    expect(p.exif.lat).toBeCloseTo(32.9001, 6);
    expect(p.exif.taken_at).toBe('2026-11-20T01:30:00.000Z');
    expect([p.width, p.height]).toEqual([640, 480]);

    const original = await app.inject(p.url);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(original.rawPayload, jpeg)).toBe(0);
    expect(original.headers['cache-control']).toMatch(/max-age/);
    const again = await app.inject({ url: p.url, headers: { 'if-none-match': String(original.headers.etag) } });
    expect(again.statusCode).toBe(304);

    const thumb = await app.inject(p.thumbnail_url);
    expect(thumb.statusCode).toBe(200);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(480);
    expect(await exifr.gps(thumb.rawPayload).catch(() => undefined)).toBeFalsy();

    const files = readdirSync(join(dataDir, 'media', 'photos'), { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith('.jpg') && !f.includes('thumb'))).toBe(true);
  });

  it('never gives anonymous readers the GPS position', async () => {
    // The same database and media, served in public read-only mode.
    const publicApp = await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, publicRead: true, dataDir });
    try {
      const inspector = await userWithToken(db, 'insp-photo', 'inspector');
      const jpeg = await jpegWithGps(117.2, 32.95);
      const body = multipart(jpeg);
      const up = await publicApp.inject({ method: 'POST', url: '/api/photos', payload: body.payload, headers: { ...body.headers, authorization: inspector } });
      expect(up.statusCode, up.body).toBe(201);
      const { id } = up.json();
      const meta = (await publicApp.inject(`/api/photos/${id}`)).json();
      expect(meta.exif).toEqual({ taken_at: expect.any(String) });
      expect(JSON.stringify(meta)).not.toMatch(/117\.2|32\.95/);
      const anon = await publicApp.inject(`/api/photos/${id}/original`);
      expect(anon.statusCode).toBe(200);
      expect(anon.headers['content-type']).toBe('image/jpeg');
      expect(await exifr.gps(anon.rawPayload).catch(() => undefined)).toBeFalsy();
      expect((await sharp(anon.rawPayload).metadata()).width).toBe(640);
      const signedIn = await publicApp.inject({ url: `/api/photos/${id}/original`, headers: { authorization: inspector } });
      expect((await exifr.gps(signedIn.rawPayload))!.latitude).toBeCloseTo(32.95, 5);
      const seen = (await publicApp.inject({ url: `/api/photos/${id}`, headers: { authorization: inspector } })).json();
      expect(seen.exif.lat).toBeCloseTo(32.95, 5);
      // Anonymous readers write nothing.
      expect((await publicApp.inject({ method: 'POST', url: '/api/photos', ...multipart(jpeg) })).statusCode).toBe(401);
    } finally {
      await publicApp.close();
    }
  });

  it('refuses a file that is not an image, an empty request and an oversized photo, and stores nothing', async () => {
    const before = await count('photos');
    const text = await upload(Buffer.from('just some text, not a photo'), 'notes.jpg', 'image/jpeg');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: 'not_an_image', message: expect.stringMatching(/not a JPEG, PNG, HEIC or WebP/) });
    const broken = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]), 'cut.jpg');
    expect(broken.statusCode).toBe(422);
    expect(broken.json()).toMatchObject({ error: 'invalid_photo', message: expect.stringMatching(/cannot be decoded/) });
    const big = await upload(Buffer.concat([await jpegWithGps(117, 32), Buffer.alloc(3 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'photo_too_large', details: [{ parameter: 'file', limit_mb: 2 }] });
    expect(big.json().message).toMatch(/2 MB.*PHOTO_MAX_MB/);
    const notMultipart = await app.inject({ method: 'POST', url: '/api/photos', ...json({ file: 'x' }) });
    expect(notMultipart.statusCode).toBe(415);
    expect(notMultipart.json().error).toBe('unsupported_media_type');
    expect(await count('photos')).toBe(before);
  });

  it('keeps a HEIC original, reads its EXIF and says why there is no thumbnail', async () => {
    // An ISO-BMFF 'ftypheic' box followed by junk: a HEIC sharp's prebuilt libvips cannot decode.
    const ftyp = Buffer.alloc(24);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'latin1');
    ftyp.write('mif1heic', 16, 'latin1');
    const r = await upload(Buffer.concat([ftyp, Buffer.alloc(200, 7)]), 'IMG_0001.HEIC', 'image/heic');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ mime: 'image/heic', thumbnail_url: null, thumbnail_note: expect.stringMatching(/no thumbnail/) });
    const thumb = await app.inject(`/api/photos/${r.json().id}/thumbnail`);
    expect(thumb.statusCode).toBe(404);
    expect(thumb.json().message).toMatch(/cannot decode.*original/);
    expect((await app.inject(`/api/photos/${r.json().id}/original`)).statusCode).toBe(200);
  });

  it('lets every role that records work upload (a village officer\'s "after" photo), not the viewer', async () => {
    const viewer = await userWithToken(db, 'viewer-photo', 'viewer');
    const r = await upload(await jpegWithGps(117, 32), 'a.jpg', 'image/jpeg', viewer);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/viewer may not upload photos/);
    const officer = await userWithToken(db, 'officer-photo', 'village_officer');
    expect((await upload(await jpegWithGps(117, 32), 'b.jpg', 'image/jpeg', officer)).statusCode).toBe(201);
  });
});

describe('findings', () => {
  it('derives village, road and stake from the place; ignores them when sent; checks photo ids', async () => {
    const photo = (await upload(await jpegWithGps(117.105, 32.9001))).json();
    const r = await createFinding({ category: 'roadside_garbage', description: '路边堆放生活垃圾', photo_ids: [photo.id], found_at: '2026-11-20T09:30:00+08:00', village: '别的村', stake: 'K9+999' });
    expect(r.statusCode, r.body).toBe(201);
    const f = r.json();
    const stake = (await app.inject('/api/roads/1/stake?lon=117.105&lat=32.9001')).json();
    expect(f.properties).toMatchObject({ category: 'roadside_garbage', status: 'open', village: '包集村', road_code: 'X043', stake: stake.stake, photo_ids: [photo.id], repeat_of: null });
    expect(stake.stake).toMatch(/^K0\+4\d\d$/);

    // Far from the road (≈ 1.1 km north) and outside the village: no road, no village.
    const far = (await createFinding({ category: 'illegal_ad' }, 117.13, 32.91)).json();
    expect(far.properties).toMatchObject({ village: null, road_code: null, stake: null });

    // Moving a finding works them out again; a PATCH of other values keeps them.
    const moved = await app.inject({ method: 'PATCH', url: `/api/collections/findings/items/${far.id}`, ...json({ geometry: point(117.1, 32.9002) }) });
    expect(moved.json().properties).toMatchObject({ village: '包集村', road_code: 'X043', stake: 'K0+000' });
    const described = await app.inject({ method: 'PATCH', url: `/api/collections/findings/items/${far.id}`, ...json({ properties: { description: '电线杆小广告' } }) });
    expect(described.json().properties).toMatchObject({ village: '包集村', stake: 'K0+000', description: '电线杆小广告' });

    const before = await count('findings');
    const bad = await createFinding({ category: 'roadside_garbage', photo_ids: [9999] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toMatch(/photo_ids names a photo that was never uploaded/);
    const badCategory = await createFinding({ category: 'litter' });
    expect(badCategory.statusCode).toBe(422);
    expect(badCategory.json().message).toMatch(/category is "litter"; use one of roadside_garbage/);
    expect(await count('findings')).toBe(before);
  });

  it('links repeats of a category within 20 m and 90 days, and finds hotspots of 3 or more', async () => {
    await db.exec('TRUNCATE findings RESTART IDENTITY CASCADE');
    const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    // ≈ 1.1 m per 0.00001° of latitude here.
    const a = (await createFinding({ category: 'straw_pile', found_at: day(30) }, 117.105, 32.9001)).json();
    const b = (await createFinding({ category: 'straw_pile', found_at: day(20) }, 117.105, 32.90019)).json(); // 10 m
    const c = (await createFinding({ category: 'straw_pile', found_at: day(10) }, 117.10505, 32.9001)).json(); // 4.7 m
    const other = (await createFinding({ category: 'roadside_garbage', found_at: day(5) }, 117.105, 32.9001)).json();
    const far = (await createFinding({ category: 'straw_pile', found_at: day(4) }, 117.105, 32.9004)).json(); // 33 m
    const old = (await createFinding({ category: 'construction_waste', found_at: day(200) }, 117.108, 32.9001)).json();
    const late = (await createFinding({ category: 'construction_waste', found_at: day(50) }, 117.108, 32.9001)).json(); // 150 days later
    expect(a.properties.repeat_of).toBeNull();
    expect(b.properties.repeat_of).toBe(a.id);
    expect(c.properties.repeat_of).toBe(b.id);
    expect(other.properties.repeat_of).toBeNull();
    expect(far.properties.repeat_of).toBeNull();
    expect(old.properties.repeat_of).toBeNull();
    expect(late.properties.repeat_of).toBeNull();

    const h = await app.inject('/api/analysis/hotspots');
    expect(h.statusCode, h.body).toBe(200);
    const body = h.json();
    expect(body.parameters).toMatchObject({ days: 90, distance_m: 20, min_count: 3 });
    expect(body.hotspots).toHaveLength(1);
    expect(body.hotspots[0]).toMatchObject({ category: 'straw_pile', count: 3, finding_ids: [a.id, b.id, c.id], village: '包集村', road_code: 'X043' });
    expect(body.hotspots[0].radius_m).toBeGreaterThan(0);
    expect(body.hotspots[0].radius_m).toBeLessThan(10);
    // A wider radius takes in the finding 33 m away.
    expect((await app.inject('/api/analysis/hotspots?distance_m=40')).json().hotspots[0].count).toBe(4);
    const gj = (await app.inject('/api/analysis/hotspots?f=geojson')).json();
    expect(gj.features[0].geometry.type).toBe('Point');
    expect((await app.inject('/api/analysis/hotspots?category=roadside_garbage')).json().hotspots).toEqual([]);
    const bad = await app.inject('/api/analysis/hotspots?category=litter');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/litter is not a finding category/);
    expect((await app.inject('/api/analysis/hotspots?days=0')).statusCode).toBe(400);
  });
});

describe('converting a finding', () => {
  it('turns a prohibited structure into a demolition site in one action, with audit and history', async () => {
    const photo = (await upload(await jpegWithGps(117.106, 32.9001))).json();
    const f = (await createFinding({ category: 'prohibited_structure', description: '路边新搭柴棚', photo_ids: [photo.id] }, 117.106, 32.9001)).json();
    const r = await app.inject({ method: 'POST', url: `/api/findings/${f.id}/convert`, ...json({ kind: 'shed' }) });
    expect(r.statusCode, r.body).toBe(201);
    const site = r.json();
    expect(site.collection).toBe('demolition_sites');
    expect(site.properties).toMatchObject({ kind: 'shed', status: 'identified', description: expect.stringContaining('路边新搭柴棚') });
    expect(site.geometry.coordinates).toEqual([117.106, 32.9001]);
    const finding = (await app.inject(`/api/collections/findings/items/${f.id}`)).json();
    expect(finding.properties).toMatchObject({ status: 'converted', converted_collection: 'demolition_sites', converted_id: site.id, village: '包集村' });

    const siteHistory = (await app.inject(`/api/collections/demolition_sites/items/${site.id}/transitions`)).json();
    expect(siteHistory.events).toEqual([expect.objectContaining({ from_status: null, to_status: 'identified', by_user: 'test-admin', photo_id: photo.id })]);
    expect(siteHistory.next).toEqual(['marked', 'exempt']);
    const findingHistory = (await app.inject(`/api/collections/findings/items/${f.id}/transitions`)).json();
    expect(findingHistory.events).toEqual([expect.objectContaining({ from_status: 'open', to_status: 'converted' })]);
    const audit = (await app.inject(`/api/audit?collection=findings&feature_id=${f.id}`)).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);

    const again = await app.inject({ method: 'POST', url: `/api/findings/${f.id}/convert`, ...json({}) });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already converted into demolition_sites/);
  });

  it('turns a garbage finding into a garbage point; refuses categories without a layer and bad values, changing nothing', async () => {
    const g = (await createFinding({ category: 'construction_waste', found_at: '2026-11-01T08:00:00+08:00' }, 117.107, 32.9001)).json();
    const r = await app.inject({ method: 'POST', url: `/api/findings/${g.id}/convert`, ...json({ volume_t: 2.5 }) });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().properties).toMatchObject({ category: 'construction', status: 'reported', volume_t: 2.5 });
    expect(Date.parse(r.json().properties.reported_at)).toBe(Date.parse('2026-11-01T00:00:00Z'));

    const sites = await count('demolition_sites');
    const points = await count('garbage_points');
    const ad = (await createFinding({ category: 'illegal_ad' }, 117.107, 32.9001)).json();
    const refused = await app.inject({ method: 'POST', url: `/api/findings/${ad.id}/convert`, ...json({}) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/illegal_ad does not become/);
    const s = (await createFinding({ category: 'prohibited_structure' }, 117.107, 32.9001)).json();
    const badKind = await app.inject({ method: 'POST', url: `/api/findings/${s.id}/convert`, ...json({ kind: 'castle' }) });
    expect(badKind.statusCode).toBe(422);
    expect(badKind.json().message).toMatch(/kind is "castle"/);
    expect((await app.inject(`/api/collections/findings/items/${s.id}`)).json().properties.status).toBe('open');
    expect([await count('demolition_sites'), await count('garbage_points')]).toEqual([sites, points]);
    expect((await app.inject({ method: 'POST', url: '/api/findings/99999/convert', ...json({}) })).statusCode).toBe(404);
  });
});

describe('status lifecycles', () => {
  async function garbagePoint() {
    return (await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.105, 32.9002), { category: 'domestic' })) })).json();
  }

  it('garbage points: reported → assigned → cleared → verified, with photo, note and history', async () => {
    const gp = await garbagePoint();
    const photo = (await upload(await jpegWithGps(117.105, 32.9002))).json();
    const step = (to: string, extra: Record<string, unknown> = {}) =>
      app.inject({ method: 'POST', url: `/api/collections/garbage_points/items/${gp.id}/transitions`, ...json({ to, ...extra }) });
    const assigned = await step('assigned', { note: '派保洁员王某' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ event: { from_status: 'reported', to_status: 'assigned', note: '派保洁员王某' }, next: ['cleared'] });
    const cleared = await step('cleared', { photo_id: photo.id });
    expect(cleared.json().feature.properties.cleared_at).toEqual(expect.any(String));
    expect((await step('verified')).statusCode).toBe(200);
    const history = (await app.inject(`/api/collections/garbage_points/items/${gp.id}/transitions`)).json();
    expect(history.events.map((e: { to_status: string }) => e.to_status)).toEqual(['reported', 'assigned', 'cleared', 'verified']);
    expect(history.events[2]).toMatchObject({ from_status: 'assigned', photo_id: photo.id, by_user: 'test-admin' });
    expect(history.next).toEqual([]);
    const final = await step('assigned');
    expect(final.statusCode).toBe(409);
    expect(final.json()).toMatchObject({ error: 'transition_refused', message: expect.stringMatching(/verified is a final status/) });
  });

  it('refuses a skipped step, a missing photo and an unknown status with 409/422/400, changing nothing', async () => {
    const gp = await garbagePoint();
    const events = await count('status_events');
    const skip = await app.inject({ method: 'POST', url: `/api/collections/garbage_points/items/${gp.id}/transitions`, ...json({ to: 'verified' }) });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().message).toMatch(/reported can only become assigned, not verified/);
    const noPhoto = await app.inject({ method: 'POST', url: `/api/collections/garbage_points/items/${gp.id}/transitions`, ...json({ to: 'assigned', photo_id: 4242 }) });
    expect(noPhoto.statusCode).toBe(422);
    const unknown = await app.inject({ method: 'POST', url: `/api/collections/garbage_points/items/${gp.id}/transitions`, ...json({ to: 'gone' }) });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json().message).toMatch(/gone is not a status of garbage_points/);
    const extra = await app.inject({ method: 'POST', url: `/api/collections/garbage_points/items/${gp.id}/transitions`, ...json({ to: 'assigned', by: 'me' }) });
    expect(extra.statusCode).toBe(400);
    // PATCH of status follows the same lifecycle (for every role but admin: see below).
    const inspector = await userWithToken(db, 'insp-patch', 'inspector');
    const patch = await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${gp.id}`, payload: JSON.stringify({ properties: { status: 'cleared', volume_t: 3 } }), headers: { 'content-type': 'application/json', authorization: inspector } });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().message).toMatch(/reported can only become assigned, not cleared/);
    const now = (await app.inject(`/api/collections/garbage_points/items/${gp.id}`)).json();
    expect(now.properties).toMatchObject({ status: 'reported', volume_t: null });
    expect(await count('status_events')).toBe(events);
    const ok = await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${gp.id}`, payload: JSON.stringify({ properties: { status: 'assigned' } }), headers: { 'content-type': 'application/json', authorization: inspector } });
    expect(ok.statusCode).toBe(200);
    let history = (await app.inject(`/api/collections/garbage_points/items/${gp.id}/transitions`)).json();
    expect(history.events.at(-1)).toMatchObject({ from_status: 'reported', to_status: 'assigned', note: 'PATCH', by_user: 'insp-patch' });
    // An admin may correct a status outside the lifecycle; the history says so.
    const fix = await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${gp.id}`, ...json({ properties: { status: 'reported' } }) });
    expect(fix.statusCode).toBe(200);
    history = (await app.inject(`/api/collections/garbage_points/items/${gp.id}/transitions`)).json();
    expect(history.events.at(-1)).toMatchObject({ from_status: 'assigned', to_status: 'reported', note: 'PATCH: correction by admin, outside the lifecycle' });
    const finding = (await createFinding({ category: 'other' })).json();
    const noLifecycle = await app.inject({ method: 'POST', url: `/api/collections/findings/items/${finding.id}/transitions`, ...json({ to: 'verified' }) });
    expect(noLifecycle.statusCode).toBe(409);
  });

  it('demolition sites: identified → marked → notice_issued → demolished | exempt', async () => {
    const site = (await app.inject({ method: 'POST', url: '/api/collections/demolition_sites/items', ...json(feature(square(117.105, 32.9003, 0.0001), { kind: 'pig_pen' })) })).json();
    const step = (id: number, to: string) => app.inject({ method: 'POST', url: `/api/collections/demolition_sites/items/${id}/transitions`, ...json({ to }) });
    expect((await step(site.id, 'demolished')).statusCode).toBe(409);
    expect((await step(site.id, 'marked')).statusCode).toBe(200);
    expect((await step(site.id, 'notice_issued')).statusCode).toBe(200);
    const done = await step(site.id, 'demolished');
    expect(done.statusCode).toBe(200);
    expect(done.json().feature.properties.demolished_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const after = await step(site.id, 'exempt');
    expect(after.statusCode).toBe(409);
    expect(after.json().message).toMatch(/demolished is a final status/);

    const other = (await app.inject({ method: 'POST', url: '/api/collections/demolition_sites/items', ...json(feature(point(117.1051, 32.9003), { kind: 'shed' })) })).json();
    expect((await step(other.id, 'exempt')).statusCode).toBe(200);
    const inspector = await userWithToken(db, 'insp-demo', 'inspector');
    const viewer = await userWithToken(db, 'viewer-demo', 'viewer');
    const byViewer = await app.inject({ method: 'POST', url: `/api/collections/demolition_sites/items/${site.id}/transitions`, ...json({ to: 'marked' }), headers: { 'content-type': 'application/json', authorization: viewer } });
    expect(byViewer.statusCode).toBe(403);
    const third = (await app.inject({ method: 'POST', url: '/api/collections/demolition_sites/items', ...json(feature(point(117.1052, 32.9003), { kind: 'shed' })) })).json();
    const byInspector = await app.inject({ method: 'POST', url: `/api/collections/demolition_sites/items/${third.id}/transitions`, ...json({ to: 'marked' }), headers: { 'content-type': 'application/json', authorization: inspector } });
    expect(byInspector.statusCode).toBe(200);
    expect(byInspector.json().event.by_user).toBe('insp-demo');
  });
});

it('keeps every photo file under DATA_DIR/media/photos', () => {
  expect(existsSync(join(dataDir, 'media', 'photos'))).toBe(true);
});
