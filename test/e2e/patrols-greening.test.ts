/**
 * Patrols and greening in the browser, on the demo township: the patrol coverage panel (tables equal
 * the API, units coloured on the map), a planting and a survival check recorded in a plot's feature
 * panel, and a patrol recorded with a faked geolocation that survives a reload and an offline end.
 */
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serverAndBrowser, openPage, waitForMap, screenshot, apiJson, type App, type OpenPage } from './helpers/app.js';

let app: App;
let browser: Browser;
const pages: OpenPage[] = [];

serverAndBrowser((s) => ({ app, browser } = s), { pages });

async function open(user = 'admin'): Promise<OpenPage> {
  const p = await openPage(browser, app.url, { user });
  pages.push(p);
  await waitForMap(p.page);
  return p;
}

async function openAnalysis(page: Page, kind: string) {
  if ((await page.getByTestId('side-tab-analysis').getAttribute('aria-selected')) !== 'true') await page.getByTestId('side-tab-analysis').click();
  await page.getByTestId(`analysis-tab-${kind}`).click();
  await page.getByTestId(`analysis-${kind}`).waitFor();
  await expect.poll(() => page.getByTestId('analysis-result').getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
}

describe('patrol coverage panel', () => {
  it('lists villages and never-patrolled units as the API does and colours the units on the map', async () => {
    const { page, errors } = await open();
    await page.goto(`${app.url}/#map=12.50/32.95000/117.20000`);
    await waitForMap(page);
    await openAnalysis(page, 'patrol-coverage');
    const month = await page.locator('#analysis-patrol-coverage-month').inputValue();
    const api = await apiJson(app.url, `/api/analysis/patrol-coverage?month=${month}`);
    expect(await page.getByTestId('patrol-villages').locator('tbody tr').count()).toBe(api.villages.length);
    expect(await page.getByTestId('patrol-units').locator('tbody tr').count()).toBe(api.units.filter((u: { status: string }) => u.status === 'never').length);
    expect(api.total.never_units).toBeGreaterThan(0);
    await page.evaluate(() => window.__remap!.whenIdle(30_000));
    const drawn = await page.evaluate(() => window.__remap!.rendered('analysis'));
    const statuses = new Set(drawn.filter((f) => f.properties.layer === 'patrol_unit').map((f) => f.properties.status));
    expect([...statuses].sort()).toEqual(['covered', 'earlier', 'never'].filter((s) => api.units.some((u: { status: string }) => u.status === s)).sort());
    await screenshot(page, 'patrol-coverage');
    expect(errors).toEqual([]);
  });
});

describe('greening records in the feature panel', () => {
  it('records a planting and a failing survival check; the plot and the panel follow', async () => {
    const plots = await apiJson(app.url, '/api/collections/afforestation_plots/items?status=planted&limit=1');
    const plot = plots.features[0];
    const { page, errors, expectFailedRequest } = await open('greening');
    const refused = expectFailedRequest('/survival-checks', 422);
    await page.goto('about:blank');
    await page.goto(`${app.url}/#map=15.00/32.95000/117.20000&sel=afforestation_plots/${plot.id}`);
    const records = page.getByTestId('greening-records');
    await records.waitFor({ timeout: 30_000 });
    await page.getByTestId('greening-add-check').click();
    await page.locator('#greening-survival-checks-sample_planted').fill('100');
    await page.locator('#greening-survival-checks-sample_alive').fill('120');
    await page.getByTestId('greening-save-survival-checks').click();
    await expect.poll(() => records.getByRole('alert').count()).toBeGreaterThan(0);
    expect(refused()).toBe(true);
    await page.locator('#greening-survival-checks-sample_alive').fill('60');
    await page.getByTestId('greening-save-survival-checks').click();
    await expect.poll(() => page.getByTestId('greening-latest').getAttribute('data-outcome'), { timeout: 15_000 }).toBe('gap_replant');
    await expect.poll(async () => (await apiJson(app.url, `/api/collections/afforestation_plots/items/${plot.id}`)).properties.status).toBe('replant_needed');
    // The latest check is on the map: the plot's label carries its survival rate and verdict.
    const ring = plot.geometry.coordinates[0] as [number, number][];
    const centre = [ring.reduce((a, c) => a + c[0], 0) / ring.length, ring.reduce((a, c) => a + c[1], 0) / ring.length];
    await page.evaluate((c) => window.__remap!.map.jumpTo({ center: c as [number, number], zoom: 16 }), centre);
    await expect.poll(() => page.evaluate((code) => {
      const f = window.__remap!.map.querySourceFeatures('plot-labels').find((x) => x.properties?.plot_code === code);
      return f ? `${f.properties!.survival_pct} ${f.properties!.survival_outcome}` : null;
    }, plot.properties.plot_code), { timeout: 15_000 }).toBe('60 gap_replant');
    await page.getByTestId('greening-add-planting').click();
    await page.locator('#greening-plantings-planted_mu').fill('1.5');
    await page.getByTestId('greening-save-plantings').click();
    await expect.poll(async () => (await apiJson(app.url, `/api/afforestation_plots/${plot.id}/plantings`)).plantings.length).toBe(1);
    await screenshot(page, 'greening-records');
    expect(errors).toEqual([]);
  });
});

describe('recording a patrol in the browser', () => {
  it('keeps the points through a reload and an offline end, and uploads once back online', async () => {
    const p = await open('inspector');
    const { page, context } = p;
    // A fake navigator.geolocation the test drives: window.__geo.emit(lon, lat) calls every watcher.
    await context.addInitScript(() => {
      const watchers = new Map<number, PositionCallback>();
      let n = 0;
      (window as unknown as { __geo: unknown }).__geo = {
        emit: (lon: number, lat: number) => {
          for (const cb of watchers.values()) cb({ coords: { longitude: lon, latitude: lat, accuracy: 5 }, timestamp: Date.now() } as GeolocationPosition);
        },
        watching: () => watchers.size,
      };
      Object.defineProperty(navigator, 'geolocation', {
        configurable: true,
        value: {
          watchPosition: (ok: PositionCallback) => (watchers.set(++n, ok), n),
          clearWatch: (id: number) => void watchers.delete(id),
          getCurrentPosition: () => undefined,
        },
      });
    });
    await page.reload();
    await waitForMap(page);
    const geo = (lon: number, lat: number) => page.evaluate(([x, y]) => (window as unknown as { __geo: { emit(a: number, b: number): void } }).__geo.emit(x, y), [lon, lat]);
    const points = () => page.evaluate(() => JSON.parse(localStorage.getItem('remap.patrol.v1') ?? '{}').active?.points?.length ?? 0);
    await page.getByTestId('patrol-start').click();
    await page.getByTestId('patrol-recording').waitFor();
    for (let i = 0; i < 4; i++) {
      await geo(117.2, 32.95 + i * 0.0005);
      await expect.poll(points).toBe(i + 1);
    }
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('remap.patrol.v1')!).active.points.length as number);
    await page.reload();
    await waitForMap(page);
    await page.getByTestId('patrol-recording').waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __geo: { watching(): number } }).__geo.watching())).toBe(1);
    await geo(117.2005, 32.952);
    await expect.poll(points).toBe(before + 1);
    const count = (await apiJson(app.url, '/api/collections/patrols/items?limit=1')).numberMatched as number;
    await context.setOffline(true);
    await page.getByTestId('patrol-stop').click();
    await page.getByTestId('patrol-pending').waitFor();
    await page.getByTestId('patrol-error').waitFor();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('remap.patrol.v1')!).pending.length)).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('remap.patrol.v1')), { timeout: 15_000 }).toBeNull();
    const after = await apiJson(app.url, '/api/collections/patrols/items?limit=10000');
    expect(after.numberMatched).toBe(count + 1);
    const mine = after.features.filter((f: { properties: { inspector: string } }) => f.properties.inspector === 'inspector');
    expect(mine).toHaveLength(1);
    expect(mine[0].geometry.coordinates.length).toBeGreaterThanOrEqual(5);
    // The offline upload's failed fetch is the one console error allowed.
    expect(p.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e))).toEqual([]);
  });
});
