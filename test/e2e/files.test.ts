/**
 * Files in the map client: a GBK CSV with Chinese headers goes through the import dialog (field
 * mapping, the invalid row shown before anything is written, then the import), and a layer's
 * export link downloads what the API stores.
 */
import { describe, it, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import iconv from 'iconv-lite';
import { serverAndBrowser, openPage, waitForMap, apiJson, apiFetch, adminSession, screenshot, type App, type OpenPage } from './helpers/app.js';
import { gaussKruger, pointShapefile } from '../helpers/formats.js';

let app: App;
let browser: Browser;
let main: OpenPage;

serverAndBrowser((s) => {
  ({ app, browser } = s);
  main = s.main!;
}, { main: true });

describe('import dialog and export menu', () => {
  it('maps fields, shows the invalid row, writes nothing until asked, then imports the valid rows', async () => {
    const { page } = main;
    const session = await adminSession(app.url);
    const before = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1', undefined, session)).numberMatched as number;
    await page.getByTestId('expand-garbage_points').click();
    await page.getByTestId('import-garbage_points').click();
    const csv = iconv.encode('名目,经度,纬度,吨\n建筑垃圾,117.1,32.9,1.5\n生活垃圾,117.11,32.91,abc\n', 'gbk');
    await page.getByTestId('import-file').setInputFiles({ name: '垃圾点.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toMatch(/csv/);
    // The first rows are outlined on the map behind the dialog.
    await expect.poll(() => page.evaluate(() => (window as unknown as { __remap: { map: { querySourceFeatures(id: string): unknown[] } } }).__remap.map.querySourceFeatures('selection').length), { timeout: 30_000 }).toBeGreaterThan(0);
    // 名目 is not a known name: category is required and missing on every row until mapped. The
    // server's reasons are said in Chinese (lib/reasons.ts), with the property's label.
    expect(await page.getByTestId('import-invalid').textContent()).toMatch(/第 1 个：类别为必填项/);
    await page.getByTestId('mapping-category').selectOption('名目');
    await page.getByTestId('mapping-volume_t').selectOption('吨');
    await expect.poll(() => page.getByTestId('import-invalid').textContent(), { timeout: 30_000 }).toMatch(/第 2 个：垃圾量应为数字，收到 "abc"/);
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(true);
    await screenshot(page, 'import-dialog-invalid-row');
    expect((await apiJson(app.url, '/api/collections/garbage_points/items?limit=1', undefined, session)).numberMatched).toBe(before);
    await page.getByText(/跳过有问题的要素|Skip the features/).click();
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 30_000 }).toMatch(/1/);
    const after = await apiJson(app.url, `/api/collections/garbage_points/items?limit=10000`, undefined, session);
    expect(after.numberMatched).toBe(before + 1);
    expect(after.features.some((f: { properties: { category: string; volume_t: number } }) => f.properties.category === '建筑垃圾' && f.properties.volume_t === 1.5)).toBe(true);
    await page.getByTestId('import-dialog').getByRole('button', { name: /关闭|Close/ }).click();
  });

  it('a Shapefile without .prj: the dialog says to choose its coordinate system, and choosing it places the point', async () => {
    const { page } = main;
    await page.getByTestId('import-garbage_points').click();
    // CGCS2000 Gauss-Krüger zone 39 with its prefix, as a county's survey office sends it, but no
    // .prj; the Chinese field name 类别 is the category's label, so it maps itself.
    const [e, n] = gaussKruger(117.1, 32.9, 117);
    const zip = pointShapefile('垃圾点', [{ x: 39_000_000 + e, y: n, props: { 类别: '建筑垃圾' } }], { encoding: 'utf-8', cpg: 'UTF-8', fields: [{ property: '类别', type: 'C' }] });
    await page.getByTestId('import-file').setInputFiles({ name: '垃圾点.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 30_000 }).toMatch(/无法确定文件的坐标系.*请在上方「坐标系」中选择/);
    await screenshot(page, 'import-dialog-unknown-projection');
    await page.getByTestId('import-crs').selectOption('EPSG:4527');
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toMatch(/1 个要素可导入，0 个有问题/);
    expect(await page.getByTestId('import-error').count()).toBe(0);
    await page.getByTestId('import-dialog').getByRole('button', { name: /取消|Cancel/ }).click();
  });

  it('the export link downloads the layer as filtered on the map', async () => {
    const { page } = main;
    await page.getByTestId('export-garbage_points').getByTestId('export-format').selectOption('csv');
    const href = await page.getByTestId('export-garbage_points').getByTestId('export-download').getAttribute('href');
    expect(href).toMatch(/^\/api\/export\/garbage_points\?f=csv/);
    const session = await adminSession(app.url);
    const r = await apiFetch(app.url, href!, undefined, session);
    expect(r.status).toBe(200);
    const lines = (await r.text()).trim().split('\n');
    const count = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1', undefined, session)).numberMatched as number;
    expect(lines.length - 1).toBe(count);
  });
});
