/**
 * The 红黑榜 and 月度汇报 panels in Chromium on the demo township: what they show equals the API's
 * answer for the same month, and their download links answer the files.
 */
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serverAndBrowser, openPage, waitForMap, screenshot, apiJson, apiFetch, type App, type OpenPage } from './helpers/app.js';

let app: App;
let browser: Browser;
let main: OpenPage;

serverAndBrowser((s) => {
  ({ app, browser } = s);
  main = s.main!;
}, { main: true });

async function openPanel(page: Page, kind: string) {
  if ((await page.getByTestId('side-tab-analysis').getAttribute('aria-selected')) !== 'true') await page.getByTestId('side-tab-analysis').click();
  await page.getByTestId(`analysis-tab-${kind}`).click();
  await page.getByTestId(`analysis-${kind}`).waitFor();
  await expect.poll(() => page.getByTestId('analysis-result').getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');
}

async function download(href: string | null, type: string) {
  expect(href).toBeTruthy();
  const res = await apiFetch(app.url, href!);
  expect(res.status, href!).toBe(200);
  expect(res.headers.get('content-type'), href!).toContain(type);
  expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
}

describe('ranking and monthly report panels', () => {
  it('红黑榜: the red and black lists and the table equal the API, PDF and Excel download', async () => {
    const { page } = main;
    await openPanel(page, 'ranking');
    const month = await page.locator('#analysis-ranking-month').inputValue();
    const r = await apiJson(app.url, `/api/analysis/ranking?month=${month}`);
    const listed = async (which: string) => page.getByTestId(`ranking-${which}`).locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-village')));
    expect(await listed('red')).toEqual(r.red.map((v: { village: string }) => v.village));
    expect(await listed('black')).toEqual(r.black.map((v: { village: string }) => v.village));
    expect(r.red.length).toBe(r.parameters.red_list);
    const rows = page.getByTestId('ranking-villages').locator('tbody tr');
    expect(await rows.count()).toBe(r.villages.length);
    const first = r.villages[0];
    const cell = (col: string) => page.getByTestId('ranking-villages').locator(`tr[data-row="${first.village}"] td[data-col="${col}"]`).textContent();
    expect(Number((await cell('total'))!.replace(/[^\d.-]/g, ''))).toBe(first.total);
    expect(Number((await cell('overdue_notices'))!)).toBe(first.overdue_notices);
    await screenshot(page, 'ranking-panel');
    await download(await page.getByTestId('ranking-pdf').getAttribute('href'), 'application/pdf');
    await download(await page.getByTestId('ranking-xlsx').getAttribute('href'), 'spreadsheetml');
  });

  it('月度汇报: the title and figures equal the API for a village, DOCX and PDF download', async () => {
    const { page } = main;
    await openPanel(page, 'report');
    const month = await page.locator('#analysis-report-month').inputValue();
    const village = '包集村';
    await page.locator('#analysis-report-village').selectOption(village);
    await page.getByTestId('analysis-form-report').getByTestId('analysis-run').click();
    await expect.poll(() => page.getByTestId('report-villages').locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    const r = await apiJson(app.url, `/api/reports/monthly?month=${month}&village=${encodeURIComponent(village)}`);
    expect(await page.getByTestId('report-title').textContent()).toBe(r.title);
    const stat = async (id: string) => Number((await page.getByTestId(`stat-${id}`).locator('[data-value]').textContent())!.replace(/[^\d.-]/g, ''));
    expect(await stat('garbage_points_cleared')).toBe(r.total.garbage_points_cleared);
    expect(await stat('garbage_tons')).toBe(r.total.garbage_tons);
    expect(await stat('structures_demolished')).toBe(r.total.structures_demolished);
    expect(await stat('excellent_km')).toBe(r.total.excellent_km);
    await screenshot(page, 'report-panel');
    const docx = await page.getByTestId('report-docx').getAttribute('href');
    expect(docx).toContain(`village=${encodeURIComponent(village)}`);
    await download(docx, 'wordprocessingml');
    await download(await page.getByTestId('report-pdf').getAttribute('href'), 'application/pdf');
    expect(main.errors).toEqual([]);
    expect(main.outside).toEqual([]);
  });
});
