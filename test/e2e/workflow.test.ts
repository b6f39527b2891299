/**
 * The monthly loop of the seeds, end to end in Chromium on the demo township, with nothing stood
 * in: an inspector files a finding with a GPS photo, issues a rectification notice for it, the
 * village officer reports the fix with an "after" photo, the inspector re-checks it with a photo
 * taken a few metres from the finding and verifies it; the village's row of this month's 红黑榜
 * drops while the notice is open and recovers once it is verified. Photos are real uploads
 * (POST /api/photos) whose EXIF carries the position (test/fixtures/exif-photo.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { serverAndBrowser, openPage, waitForMap, screenshot, apiJson, type App, type OpenPage } from './helpers/app.js';
import { jpegWithGps } from '../fixtures/exif-photo.js';

const VILLAGE = '包集村'; // the demo village officer's village
let app: App;
let browser: Browser;
const pages: OpenPage[] = [];
const dir = mkdtempSync(join(tmpdir(), 'remap-e2e-loop-'));
// This calendar month in Asia/Shanghai: the ranking's month.
const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).replaceAll('-', ':');
let place: [number, number];
let findingId = 0;
let noticeId = 0;

serverAndBrowser((s) => ({ app, browser } = s), { pages });

beforeAll(async () => {
  // A place in the village and its road corridor: next to a demo finding there (a metre north).
  const demo = await apiJson(app.url, '/api/collections/findings/items?limit=1000');
  const near = demo.features.find((f: any) => f.properties.village === VILLAGE && f.properties.road_code);
  expect(near, `a demo finding in ${VILLAGE} by a road`).toBeDefined();
  place = [Number(near.geometry.coordinates[0].toFixed(7)), Number((near.geometry.coordinates[1] + 0.00001).toFixed(7))];
});

async function open(user: string, path = `/#map=16.00/${place[1].toFixed(5)}/${place[0].toFixed(5)}`): Promise<Page> {
  const p = await openPage(browser, app.url, { user, path });
  pages.push(p);
  await waitForMap(p.page);
  return p.page;
}

/** A JPEG whose EXIF says it was taken `east`, `north` metres from the finding, today. */
async function photo(name: string, east: number, north: number): Promise<string> {
  const file = join(dir, name);
  const lon = place[0] + east / (111_320 * Math.cos((place[1] * Math.PI) / 180));
  const lat = place[1] + north / 110_574;
  writeFileSync(file, await jpegWithGps(Number(lon.toFixed(7)), Number(lat.toFixed(7)), `${today} 09:30:00`));
  return file;
}

async function openNotices(page: Page) {
  await page.getByTestId('side-tab-notices').click();
  await page.getByTestId('notices-panel').waitFor();
}

/** The village's total in this month's 红黑榜 as the panel shows it (and the API agrees). */
async function rankingTotal(): Promise<number> {
  const page = await open('viewer', `/#tab=analysis&an=ranking&a.month=${month}`);
  await page.getByTestId('analysis-ranking').waitFor();
  await expect.poll(() => page.getByTestId('analysis-result').getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');
  const cell = page.getByTestId('ranking-villages').locator(`tr[data-row="${VILLAGE}"] td[data-col="total"]`);
  await cell.waitFor({ timeout: 60_000 });
  const shown = Number((await cell.textContent())!.replace(/[^\d.-]/g, ''));
  const api = (await apiJson(app.url, `/api/analysis/ranking?month=${month}`)).villages.find((v: { village: string }) => v.village === VILLAGE);
  expect(shown).toBe(api.total);
  return shown;
}

describe('the monthly loop: finding → notice → fix → re-check → ranking', () => {
  let before = 0;
  let during = 0;

  it('an inspector files a finding with a GPS photo', async () => {
    before = await rankingTotal();
    const page = await open('inspector');
    await page.getByTestId('report-finding-button').click();
    await page.getByTestId('report-finding').waitFor();
    await page.getByTestId('finding-photo-input').setInputFiles(await photo('before.jpg', 0, 0));
    await page.getByTestId('exif-place').waitFor({ timeout: 15_000 });
    await page.locator('#field-findings-category').selectOption('straw_pile');
    await page.locator('#field-findings-description').fill('路肩堆放秸秆');
    await page.getByTestId('submit-feature').click();
    const details = page.locator('[data-testid=feature-details][data-collection=findings]');
    await details.waitFor({ timeout: 15_000 });
    findingId = Number(await details.getAttribute('data-id'));
    const stored = await apiJson(app.url, `/api/collections/findings/items/${findingId}`);
    expect(stored.properties).toMatchObject({ village: VILLAGE, status: 'open', category: 'straw_pile' });
    expect(stored.properties.photo_ids).toHaveLength(1);
  });

  it('issues a notice for it, and the village drops in this month\'s ranking', async () => {
    const page = await open('inspector');
    await openNotices(page);
    await page.getByTestId('notices-village').selectOption(VILLAGE);
    await page.getByTestId('notices-new').click();
    await page.getByTestId(`candidate-${findingId}`).check();
    await page.getByTestId('notice-create').click();
    await page.getByTestId('notice-detail').waitFor();
    expect(await page.getByTestId('notice-status').first().textContent()).toBe('已下发');
    await screenshot(page, 'loop-notice-issued');
    const list = await apiJson(app.url, `/api/notices?village=${encodeURIComponent(VILLAGE)}`);
    expect(list.notices).toHaveLength(1);
    noticeId = list.notices[0].id;
    const n = await apiJson(app.url, `/api/notices/${noticeId}`);
    expect(n.findings.map((f: { id: number }) => f.id)).toEqual([findingId]);
    during = await rankingTotal();
    expect(during).toBeLessThan(before);
  });

  it('the village officer starts work and reports the fix with an "after" photo', async () => {
    const page = await open('village');
    await openNotices(page);
    await page.getByTestId(`notice-${noticeId}`).click();
    await page.getByTestId('notice-move-in_progress').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent()).toBe('整改中');
    await page.getByTestId('notice-photo').setInputFiles(await photo('after.jpg', 2, 1));
    await page.getByTestId('notice-photo-done').waitFor({ timeout: 15_000 });
    await page.getByTestId('notice-move-reported_fixed').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent()).toBe('已报整改');
  });

  it('a re-check photo taken far away is refused; one taken at the finding verifies it, and the ranking recovers', async () => {
    const page = await open('inspector');
    await openNotices(page);
    await page.getByTestId('notices-village').selectOption(VILLAGE);
    await page.getByTestId(`notice-${noticeId}`).click();
    const refused = pages[pages.length - 1].expectFailedRequest(`/api/notices/${noticeId}/transitions`, 409);
    // 200 m off: the geofence (30 m) refuses it and says so; the notice stays as it was.
    await page.getByTestId('notice-photo').setInputFiles(await photo('far.jpg', 200, 0));
    await page.getByTestId('notice-photo-done').waitFor({ timeout: 15_000 });
    await page.getByTestId('notice-move-verified').click();
    await page.getByTestId('notice-move-error').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('notice-move-error').textContent()).toMatch(/^复核照片须在每处问题 30 米以内拍摄：第 1 处问题距最近的照片 (19\d|20\d) 米。/);
    await screenshot(page, 'loop-recheck-too-far');
    expect((await apiJson(app.url, `/api/notices/${noticeId}`)).status).toBe('reported_fixed');
    expect(refused()).toBe(true);
    await page.getByTestId('notice-photo').setInputFiles(await photo('recheck.jpg', 4, -3));
    await page.getByTestId('notice-photo-done').waitFor({ timeout: 15_000 });
    await page.getByTestId('notice-move-verified').click();
    await expect.poll(() => page.getByTestId('notice-status').first().textContent(), { timeout: 10_000 }).toBe('已验收');
    await screenshot(page, 'loop-notice-verified');
    const n = await apiJson(app.url, `/api/notices/${noticeId}`);
    expect(n.status).toBe('verified');
    expect(n.findings[0].status).toBe('verified');
    expect(n.events.map((e: { by_user: string; to_status: string }) => `${e.by_user}:${e.to_status}`))
      .toEqual(['inspector:issued', 'village:in_progress', 'village:reported_fixed', 'inspector:verified']);
    const after = await rankingTotal();
    expect(after).toBeGreaterThan(during);
    const rankingPage = pages[pages.length - 1].page;
    await screenshot(rankingPage, 'loop-ranking-after');
    for (const p of pages) expect(p.errors, p.errors.join('\n')).toEqual([]);
  });
});
