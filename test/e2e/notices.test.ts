/**
 * Rectification notices end to end, in the browser: an inspector issues a notice from open
 * findings of 包集村, the village officer starts work and reports the fix with an "after" photo,
 * the inspector verifies it with a re-check photo taken at the finding. The demo township is
 * loaded, and two findings and two photos are written by SQL into the embedded database before
 * the server starts (the findings route and the photo upload are another part's; the upload is
 * answered here with the prepared photo rows, in the contract's shape: {id, url, thumbnail_url, exif}).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { ensureClientBuilt, startApp, launchChromium, openPage, waitForMap, screenshot, apiJson, apiFetch, signIn, type App, type OpenPage } from './helpers/app.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrate.js';
import { seedDemo } from '../../server/seed/demo.js';
import { insertFinding, insertPhoto, M } from '../helpers/workflow.js';

let app: App;
let browser: Browser;
let findings: number[] = [];
let photos: { after: number; recheck: number };
let center: [number, number];
const pages: OpenPage[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'remap-e2e-notices-'));
  const db = await openDatabase({ dataDir, holder: 'the notices e2e setup' });
  await migrate(db);
  await seedDemo(db);
  const { rows } = await db.query<{ lon: number; lat: number }>("SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM villages WHERE name = '包集村') v");
  center = [rows[0].lon, rows[0].lat];
  const at = (east: number, north = 0) => ({ lon: center[0] + east * M.lon, lat: center[1] + north * M.lat });
  const before = await insertPhoto(db, { ...at(0), dataDir, color: '#8b5a2b' });
  findings = [
    await insertFinding(db, { ...at(0), village: '包集村', category: 'construction_waste', description: '建筑垃圾堆放', photo_ids: [before] }),
    await insertFinding(db, { ...at(12, 6), village: '包集村', category: 'roadside_garbage', description: '路边垃圾' }),
  ];
  photos = { after: await insertPhoto(db, { ...at(3), dataDir, color: '#3a7' }), recheck: await insertPhoto(db, { ...at(6, 3), dataDir, color: '#37a' }) };
  await db.close();
  app = await startApp({ DATA_DIR: dataDir });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const p of pages) await p.context.close();
  await browser?.close();
  await app?.stop();
});

async function notices(user: string, uploads: number[] = []): Promise<Page> {
  const p = await openPage(browser, app.url, { user, path: `/#map=16.00/${center[1].toFixed(5)}/${center[0].toFixed(5)}` });
  pages.push(p);
  // The photo upload answers with the prepared rows, one per upload, in order.
  const queue = [...uploads];
  const jpeg = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#888' } }).jpeg().toBuffer();
  await p.page.route('**/api/photos', (route) => {
    const id = queue.shift();
    return route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ id, url: `data:image/jpeg;base64,${jpeg.toString('base64')}`, thumbnail_url: `data:image/jpeg;base64,${jpeg.toString('base64')}`, exif: { lon: center[0], lat: center[1], taken_at: null } }) });
  });
  await waitForMap(p.page);
  await p.page.getByTestId('side-tab-notices').click();
  await p.page.getByTestId('notices-panel').waitFor();
  return p.page;
}

async function attach(page: Page) {
  await page.getByTestId('notice-photo').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await sharp({ create: { width: 8, height: 6, channels: 3, background: '#888' } }).jpeg().toBuffer() });
  await page.getByTestId('notice-photo-done').waitFor();
}

describe('rectification notices in the browser', () => {
  let noticeId = 0;

  it('an inspector issues a notice from the open findings of 包集村', async () => {
    const page = await notices('inspector');
    await page.getByTestId('notices-village').selectOption('包集村');
    await page.getByTestId('notice-list-empty').waitFor();
    await page.getByTestId('notices-new').click();
    for (const id of findings) await page.getByTestId(`candidate-${id}`).check();
    await screenshot(page, 'notices-new');
    await page.getByTestId('notice-create').click();
    await page.getByTestId('notice-detail').waitFor();
    const number = await page.getByTestId('notice-number').textContent();
    expect(number).toMatch(/^整改〔\d{4}〕第001号$/);
    expect(await page.getByTestId('notice-status').first().textContent()).toBe('已下发');
    expect(await page.getByTestId('notice-findings').locator('tbody tr').count()).toBe(2);
    // The inspector issues and checks; starting work and reporting the fix is the village's.
    expect(await page.getByTestId('notice-actions').count()).toBe(0);
    await waitForMap(page);
    await screenshot(page, 'notices-issued');
    const list = await apiJson(app.url, '/api/notices?village=%E5%8C%85%E9%9B%86%E6%9D%91');
    expect(list.notices).toHaveLength(1);
    noticeId = list.notices[0].id;
    const pdf = await apiFetch(app.url, `/api/notices/${noticeId}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('the village officer starts work and reports the fix with an "after" photo', async () => {
    const page = await notices('village', [photos.after]);
    // The officer's own village is chosen; the list shows the notice with its state, no 新建 button.
    expect(await page.getByTestId('notices-village').inputValue()).toBe('包集村');
    await page.getByTestId(`notice-${noticeId}`).waitFor();
    expect(await page.getByTestId(`notice-${noticeId}`).getByTestId('notice-status').textContent()).toBe('已下发');
    expect(await page.getByTestId('notices-new').count()).toBe(0);
    await screenshot(page, 'notices-list-village');
    await page.getByTestId(`notice-${noticeId}`).click();
    await page.getByTestId('notice-move-in_progress').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent()).toBe('整改中');
    expect(await page.getByTestId('notice-move-reported_fixed').isDisabled()).toBe(true);
    await attach(page);
    await page.getByTestId('notice-move-reported_fixed').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent()).toBe('已报整改');
    expect(await page.getByTestId('notice-actions').count()).toBe(0);
    await screenshot(page, 'notices-reported');
  });

  it('the inspector verifies it with a re-check photo taken at the findings', async () => {
    const page = await notices('inspector', [photos.recheck]);
    await page.getByTestId('notices-village').selectOption('包集村');
    await page.getByTestId(`notice-${noticeId}`).click();
    await page.getByTestId('notice-move-verified').waitFor();
    expect(await page.getByTestId('notice-move-reopened').isVisible()).toBe(true);
    await attach(page);
    await page.getByTestId('notice-move-verified').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent()).toBe('已验收');
    expect(await page.getByTestId('notice-events').locator('li').count()).toBe(4);
    await screenshot(page, 'notices-verified');
    const n = await apiJson(app.url, `/api/notices/${noticeId}`, undefined, await signIn(app.url, 'viewer'));
    expect(n.status).toBe('verified');
    expect(n.findings.map((f: { status: string }) => f.status)).toEqual(['verified', 'verified']);
    expect(n.events.map((e: { by_user: string; photo_id: number | null }) => [e.by_user, e.photo_id])).toEqual([['inspector', null], ['village', null], ['village', photos.after], ['inspector', photos.recheck]]);
    for (const p of pages) expect(p.errors, p.errors.join('\n')).toEqual([]);
  });
});
