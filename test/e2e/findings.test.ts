/**
 * Findings end to end: an inspector reports a finding through the page with a photo whose EXIF
 * carries a GPS position (made by test/fixtures/exif-photo.ts), the place and time are taken
 * from the photo, and after saving the finding is on the map with the village the server found
 * and the photo in its panel; then it is converted into a garbage point with one click, whose
 * panel shows its status history. The real server with the demo township; Debian's Chromium.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { serverAndBrowser, openPage, waitForMap, screenshot, apiJson, type App, type OpenPage } from './helpers/app.js';
import { jpegWithGps } from '../fixtures/exif-photo.js';

let app: App;
let browser: Browser;
const pages: OpenPage[] = [];

serverAndBrowser((s) => ({ app, browser } = s), { pages });

describe('reporting a finding', () => {
  it('files a finding with a GPS photo through the page and shows it on the map with its village and photo', async () => {
    // A demo finding the server placed in a village next to a road: the new one goes 4 m from it.
    const demo = await apiJson(app.url, '/api/collections/findings/items?limit=200&category=illegal_ad');
    const near = demo.features.find((f: any) => f.properties.village && f.properties.road_code);
    expect(near, 'a demo finding inside a village and the road corridor').toBeDefined();
    const [lon0, lat0] = near.geometry.coordinates as [number, number];
    const [lon, lat] = [Number((lon0 + 0.00004).toFixed(7)), Number(lat0.toFixed(7))];
    const dir = mkdtempSync(join(tmpdir(), 'remap-e2e-photo-'));
    const file = join(dir, 'IMG_20261119_101500.jpg');
    writeFileSync(file, await jpegWithGps(lon, lat, '2026:11:19 10:15:00'));

    const p = await openPage(browser, app.url, { user: 'inspector', path: `/#map=14.00/${lat.toFixed(5)}/${lon.toFixed(5)}` });
    pages.push(p);
    const { page } = p;
    await waitForMap(page);
    await page.getByTestId('report-finding-button').click();
    await page.getByTestId('report-finding').waitFor();
    await page.getByTestId('finding-photo-input').setInputFiles(file);

    // The photo's place and time are offered, and its thumbnail shows.
    await page.getByTestId('exif-place').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('exif-place').textContent()).toContain(lat.toFixed(6));
    expect(await page.getByTestId('exif-time').textContent()).toContain('2026-11-19 10:15');
    expect(await page.locator('#field-findings-found_at').inputValue()).toBe('2026-11-19T10:15');
    await expect.poll(() => page.locator('[data-testid=report-finding] img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.locator('#field-findings-category').selectOption('roadside_garbage');
    await page.locator('#field-findings-description').fill('路边生活垃圾，约半吨');
    await screenshot(page, 'finding-report-form');
    await page.getByTestId('submit-feature').click();

    // Saved: the panel shows the finding with the village and road the server found, and the photo.
    const details = page.locator('[data-testid=feature-details][data-collection=findings]');
    await details.waitFor({ timeout: 15_000 });
    const id = Number(await details.getAttribute('data-id'));
    const stored = await apiJson(app.url, `/api/collections/findings/items/${id}`);
    // EXIF keeps seconds as rationals (here 1/10000 s): the place is the photo's to a centimetre.
    expect(stored.geometry.coordinates[0]).toBeCloseTo(lon, 6);
    expect(stored.geometry.coordinates[1]).toBeCloseTo(lat, 6);
    expect(stored.properties).toMatchObject({ category: 'roadside_garbage', village: near.properties.village, road_code: near.properties.road_code, inspector: 'inspector' });
    expect(stored.properties.photo_ids).toHaveLength(1);
    expect(Date.parse(stored.properties.found_at)).toBe(Date.parse('2026-11-19T10:15:00+08:00'));
    expect(await page.locator('[data-property=village] dd').textContent()).toBe(near.properties.village);
    expect(await page.locator('[data-property=stake] dd').textContent()).toBe(stored.properties.stake);
    const thumb = page.getByTestId('finding-photo');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    const href = await page.getByTestId('finding-photo-link').getAttribute('href');
    expect(href).toBe(`/api/photos/${stored.properties.photo_ids[0]}/original`);
    const original = await page.request.get(`${app.url}${href}`);
    expect(original.status()).toBe(200);
    expect(original.headers()['content-type']).toBe('image/jpeg');

    // On the map: the new finding is drawn by the findings layer.
    await page.evaluate(() => window.__remap!.whenIdle());
    await expect.poll(async () => (await page.evaluate(() => window.__remap!.rendered('findings'))).some((f) => f.id === id), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'finding-saved-panel');

    // One click makes it a garbage point; the point's panel opens with its status history.
    await page.getByTestId('convert-finding').click();
    const point = page.locator('[data-testid=feature-details][data-collection=garbage_points]');
    await point.waitFor({ timeout: 15_000 });
    await page.getByTestId('status-history').locator('li').first().waitFor();
    expect(await page.getByTestId('status-history').textContent()).toContain('已上报');
    await page.getByTestId('transition-assigned').waitFor();
    await screenshot(page, 'finding-converted-garbage-point');
    const after = await apiJson(app.url, `/api/collections/findings/items/${id}`);
    expect(after.properties).toMatchObject({ status: 'converted', converted_collection: 'garbage_points' });

    expect(p.errors).toEqual([]);
    expect(p.outside).toEqual([]);
  });

  it('shows hotspots of repeated findings on the map with their count', async () => {
    const { hotspots } = await apiJson(app.url, '/api/analysis/hotspots');
    expect(hotspots.length).toBeGreaterThan(0);
    const h = hotspots[0];
    const p = await openPage(browser, app.url, { user: 'viewer', path: `/#map=17.00/${h.lat.toFixed(5)}/${h.lon.toFixed(5)}` });
    pages.push(p);
    await waitForMap(p.page);
    await p.page.evaluate(() => window.__remap!.whenIdle());
    await expect.poll(() => p.page.evaluate(() => window.__remap!.map.queryRenderedFeatures({ layers: ['findings-hotspot'] }).map((f) => f.properties.count)), { timeout: 20_000 }).toContain(h.count);
    expect((await p.page.evaluate(() => window.__remap!.rendered('findings'))).length).toBeGreaterThanOrEqual(h.count);
    // The layer panel: its legend (status symbols and the hotspot ring) and its filters.
    await p.page.getByTestId('expand-findings').click();
    await p.page.getByTestId('filters-toggle-findings').click();
    expect(await p.page.getByTestId('layer-findings').textContent()).toContain('重复问题热点');
    expect(await p.page.locator('input[name="findings.category"]').count()).toBe(9);
    expect(await p.page.locator('input[name="findings.status"]').count()).toBe(5);
    await screenshot(p.page, 'finding-hotspot');
    expect(p.errors).toEqual([]);
  });
});
