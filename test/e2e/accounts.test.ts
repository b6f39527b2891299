/**
 * Accounts end to end: the login page (zh and en, wrong password, too many tries), signing in and
 * out, a lost session that returns to the same view, what each role is offered, the admin's users
 * and audit log, a feature's 修改记录, and changing one's password. The real server with the demo
 * township and its demo users (one per role), Debian's Chromium headless.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureClientBuilt, startApp, launchChromium, openPage, waitForMap, screenshot, apiJson, apiFetch, signIn, DEMO_PASSWORDS, type App, type OpenPage } from './helpers/app.js';

let app: App;
let browser: Browser;
const allErrors: string[] = [];
const allOutside: string[] = [];

async function close(p: OpenPage) {
  allErrors.push(...p.errors);
  allOutside.push(...p.outside);
  await p.context.close();
}

/** A page opened without a session: the server answers /api/auth/me and the early /api/collections with 401. */
async function anonymousPage(opts: { path?: string; width?: number; height?: number; storage?: Record<string, string> } = {}): Promise<OpenPage> {
  const p = await openPage(browser, app.url, { ...opts, user: null, noNavigation: true });
  p.expectFailedRequest('/api/auth/me', 401);
  p.expectFailedRequest('/api/collections', 401);
  await p.page.goto(`${app.url}${opts.path ?? '/'}`);
  await p.page.getByTestId('login-page').waitFor({ timeout: 30_000 });
  return p;
}

async function signInThroughPage(p: OpenPage, username: string, password: string) {
  await p.page.getByTestId('login-username').fill(username);
  await p.page.getByTestId('login-password').fill(password);
  await p.page.getByTestId('login-submit').click();
  await p.page.getByTestId('account-button').waitFor({ timeout: 30_000 });
}

async function openFeature(page: Page, collection: string, id: number, center: [number, number]) {
  await page.goto(`${app.url}/#map=15.00/${center[1].toFixed(5)}/${center[0].toFixed(5)}&sel=${collection}/${id}`);
  await waitForMap(page);
  await page.getByTestId('feature-details').waitFor({ timeout: 15_000 });
  await expect.poll(() => page.getByTestId('feature-properties').count(), { timeout: 15_000 }).toBe(1);
}

function firstPoint(geometry: { type: string; coordinates: any }): [number, number] {
  let c = geometry.coordinates;
  while (Array.isArray(c[0])) c = c[0];
  return c as [number, number];
}

beforeAll(async () => {
  ensureClientBuilt();
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('signing in', () => {
  it('shows the login page in Chinese and English and says when the password is wrong', async () => {
    const p = await anonymousPage();
    const { page } = p;
    expect(await page.title()).toBe('整治一张图');
    expect(await page.locator('h1').textContent()).toContain('整治一张图');
    expect(await page.getByLabel('用户名').count()).toBe(1);
    expect(await page.getByLabel('密码').count()).toBe(1);
    await screenshot(page, 'login-zh');
    // Nothing but the sign-in form was asked for: no tiles, no layers behind the page.
    expect(await page.evaluate(() => Boolean(window.__remap))).toBe(false);

    const seen401 = p.expectFailedRequest('/api/auth/login', 401);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent(), { timeout: 10_000 }).toBe('用户名或密码不正确');
    expect(seen401()).toBe(true);
    // An empty field is said before anything is sent.
    await page.getByTestId('login-password').fill('');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toBe('请输入密码');

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Remediation Map');
    expect(await page.getByTestId('login-error').textContent()).toBe('Enter your password');
    await page.getByTestId('login-password').fill('still-wrong');
    p.expectFailedRequest('/api/auth/login', 401);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent(), { timeout: 10_000 }).toBe('Wrong user name or password');
    expect(await page.getByTestId('login-submit').textContent()).toBe('Sign in');
    await screenshot(page, 'login-en-wrong-password');
    await page.getByTestId('lang-switch').click();
    await close(p);
  });

  it('after too many tries says how long to wait (Retry-After) and keeps the button off', async () => {
    const p = await anonymousPage({ width: 390, height: 844 });
    const { page } = p;
    const user = 'nobody-here';
    p.expectFailedRequest('/api/auth/login', 401, 10);
    const seen429 = p.expectFailedRequest('/api/auth/login', 429);
    await page.getByTestId('login-username').fill(user);
    await page.getByTestId('login-password').fill('guess');
    for (let i = 0; i < 8 && !seen429(); i++) {
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-submit').isDisabled().then(async (d) => !d || Boolean(await page.getByTestId('login-error').textContent())), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => page.getByTestId('login-submit').textContent(), { timeout: 10_000 }).not.toContain('正在登录');
    }
    expect(seen429()).toBe(true);
    const text = (await page.getByTestId('login-error').textContent())!;
    expect(text).toMatch(/^尝试次数过多，请 (\d+ 分 )?\d+ 秒后再试$/);
    expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
    // The wait counts down.
    await expect.poll(() => page.getByTestId('login-error').textContent(), { timeout: 5_000 }).not.toBe(text);
    await screenshot(page, 'login-too-many-phone');
    await close(p);
  });

  it('signs in and out through the page, keeping the view of the link', async () => {
    const hash = '#map=14.00/32.95000/117.20000&hide=villages';
    const p = await anonymousPage({ path: `/${hash}` });
    const { page } = p;
    await signInThroughPage(p, 'inspector', DEMO_PASSWORDS.inspector);
    await waitForMap(page);
    expect(await page.getByTestId('account-name').textContent()).toBe('inspector');
    expect(await page.getByTestId('account-role').textContent()).toBe('巡查');
    const center = await page.evaluate(() => window.__remap!.map.getCenter().toArray());
    expect(center[0]).toBeCloseTo(117.2, 3);
    expect(center[1]).toBeCloseTo(32.95, 3);
    expect(await page.evaluate(() => window.__remap!.map.getZoom())).toBeCloseTo(14, 1);
    expect(await page.getByTestId('toggle-villages').isChecked()).toBe(false);

    await page.getByTestId('account-button').click();
    const menu = page.getByTestId('account-menu');
    await menu.waitFor();
    // Keyboard: the first item has focus, arrows move, Esc closes.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-password');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-logout');
    expect(await menu.textContent()).toContain('当前用户：inspector（巡查）');
    // Users and the audit log are for admins only.
    expect(await page.getByTestId('menu-users').count()).toBe(0);
    expect(await page.getByTestId('menu-settings').count()).toBe(0);
    await screenshot(page, 'header-menu-inspector');
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);

    await page.getByTestId('account-button').click();
    p.expectFailedRequest('/api/', 401, 20); // after signing out, the probe of anonymous reading
    await page.getByTestId('menu-logout').click();
    await page.getByTestId('login-page').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => window.location.hash)).toContain('map=14.00/32.95000/117.20000');
    // The session is gone on the server too.
    const me = await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
    expect(me).toBe(401);
    await close(p);
  });

  it('returns to the login page when the session ends during use, then to the same view and feature', async () => {
    const point = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1')).features[0];
    const p = await openPage(browser, app.url, { user: 'viewer', noNavigation: true });
    const { page } = p;
    await page.goto(`${app.url}/#map=15.50/${point.geometry.coordinates[1].toFixed(5)}/${point.geometry.coordinates[0].toFixed(5)}`);
    await waitForMap(page);
    // The session cookie disappears (expired, or ended on another tab); the next request says 401.
    await page.context().clearCookies();
    p.expectFailedRequest('/api/', 401, 50);
    await page.evaluate((id) => { window.location.hash = `${window.location.hash.slice(1)}&sel=garbage_points/${id}`; }, point.id);
    await page.getByTestId('login-page').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('session-expired').textContent()).toContain('登录已失效');
    expect(await page.evaluate(() => window.location.hash)).toContain(`sel=garbage_points/${point.id}`);
    await signInThroughPage(p, 'viewer', DEMO_PASSWORDS.viewer);
    await page.getByTestId('feature-details').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('feature-details').getAttribute('data-id')).toBe(String(point.id));
    expect(await page.evaluate(() => window.__remap!.map.getZoom())).toBeCloseTo(15.5, 1);
    await close(p);
  });
});

describe('what each role is offered', () => {
  it('a viewer sees no 新建 button and no edit or delete, but the history', async () => {
    const point = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1')).features[0];
    const p = await openPage(browser, app.url, { user: 'viewer', noNavigation: true });
    const { page } = p;
    await openFeature(page, 'garbage_points', point.id, point.geometry.coordinates);
    expect(await page.getByTestId('account-role').textContent()).toBe('只读');
    expect(await page.getByTestId('new-feature-button').count()).toBe(0);
    expect(await page.getByTestId('edit-feature').count()).toBe(0);
    expect(await page.getByTestId('delete-feature').count()).toBe(0);
    expect(await page.getByTestId('read-only-note').textContent()).toBe('当前角色只能查看这个图层');
    expect(await page.getByTestId('feature-history').count()).toBe(1);
    await close(p);
  });

  it('an inspector edits a garbage point but not a road; the server\'s refusal is shown when the role changed meanwhile', async () => {
    const point = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1&status=reported')).features[0];
    const road = (await apiJson(app.url, '/api/collections/roads/items?limit=1')).features[0];
    // A user of our own, so that changing its role leaves the demo inspector as it is.
    await apiJson(app.url, '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wang.wu', password: 'xunchayuan-2026', role: 'inspector', villages: [] }) });
    DEMO_PASSWORDS['wang.wu'] = 'xunchayuan-2026';
    const p = await openPage(browser, app.url, { user: 'wang.wu', noNavigation: true });
    const { page } = p;
    await openFeature(page, 'garbage_points', point.id, point.geometry.coordinates);
    expect(await page.getByTestId('new-feature-button').count()).toBe(1);
    await page.getByTestId('edit-feature').click();
    await page.locator('#field-garbage_points-volume_t').fill('3.75');
    await page.getByTestId('submit-feature').click();
    await expect.poll(() => page.getByTestId('feature-properties').textContent(), { timeout: 10_000 }).toContain('3.75 吨');
    expect((await apiJson(app.url, `/api/collections/garbage_points/items/${point.id}`)).properties.volume_t).toBe(3.75);
    // 新建 offers only the inspector's layers.
    await page.getByTestId('new-feature-button').click();
    const options = await page.getByTestId('new-feature-layer').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options.sort()).toEqual(['demolition_sites', 'findings', 'garbage_points', 'sanitation_facilities']);
    await page.getByTestId('close-panel').click();

    await openFeature(page, 'roads', road.id, firstPoint(road.geometry));
    expect(await page.getByTestId('edit-feature').count()).toBe(0);
    expect(await page.getByTestId('delete-feature').count()).toBe(0);
    // The server agrees: a road change from this session is refused with 403.
    const session = await signIn(app.url, 'wang.wu');
    const refused = await apiFetch(app.url, `/api/collections/roads/items/${road.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { name: 'x' } }) }, session);
    expect(refused.status).toBe(403);

    // The admin makes wang.wu a viewer while the edit form is open: saving shows the server's message.
    await openFeature(page, 'garbage_points', point.id, point.geometry.coordinates);
    await page.getByTestId('edit-feature').click();
    await page.locator('#field-garbage_points-volume_t').fill('4');
    await apiJson(app.url, '/api/users/wang.wu', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }) });
    const seen403 = p.expectFailedRequest(`/api/collections/garbage_points/items/${point.id}`, 403);
    await page.getByTestId('submit-feature').click();
    await expect.poll(() => page.getByTestId('feature-form').locator('.field-error').first().textContent(), { timeout: 10_000 }).toBeTruthy();
    const message = await page.getByTestId('feature-form').locator('.field-error').first().textContent();
    expect(seen403()).toBe(true);
    expect(message!.length).toBeGreaterThan(5);
    expect((await apiJson(app.url, `/api/collections/garbage_points/items/${point.id}`)).properties.volume_t).toBe(3.75);
    await close(p);
  });
});

describe('rules (settings)', () => {
  it('a planner changes the setback of a road class; the value is checked and stored', async () => {
    const p = await openPage(browser, app.url, { user: 'planner' });
    const { page } = p;
    await waitForMap(page);
    await page.getByTestId('account-button').click();
    expect(await page.getByTestId('menu-users').count()).toBe(0);
    await page.getByTestId('menu-settings').click();
    const rule = page.getByTestId('setting-setback_m_by_class');
    await rule.waitFor({ timeout: 10_000 });
    // The admin-only switch is not offered to planners.
    expect(await page.getByTestId('setting-public_read').count()).toBe(0);
    const village = page.locator('#setting-setback_m_by_class-village');
    expect(await village.inputValue()).toBe('10');
    await village.fill('-1');
    await rule.getByRole('button', { name: '保存' }).click();
    expect(await rule.locator('.field-error').textContent()).toBe('请输入不小于 0 的数字');
    await village.fill('12.5');
    await rule.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain('已保存');
    expect((await apiJson(app.url, '/api/settings')).settings.setback_m_by_class.village).toBe(12.5);
    await screenshot(page, 'settings-planner');
    await apiJson(app.url, '/api/settings/setback_m_by_class', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national: 10, provincial: 10, county: 10, township: 10, village: 10 }) });
    await close(p);
  });
});

describe('history and administration', () => {
  let admin: OpenPage;
  beforeAll(async () => {
    admin = await openPage(browser, app.url, { user: 'admin', noNavigation: true });
  });
  afterAll(async () => {
    if (admin) await close(admin);
  });

  it('shows a feature edit in its 修改记录: who, when, what changed from what to what', async () => {
    const { page } = admin;
    const point = (await apiJson(app.url, '/api/collections/garbage_points/items?limit=1&status=reported')).features[0];
    await openFeature(page, 'garbage_points', point.id, point.geometry.coordinates);
    await page.getByTestId('edit-feature').click();
    await page.locator('#field-garbage_points-status').selectOption('assigned');
    await page.getByTestId('submit-feature').click();
    await expect.poll(() => page.getByTestId('feature-properties').textContent(), { timeout: 10_000 }).toContain('已派');
    await page.getByTestId('feature-history').locator('summary').click();
    const list = page.getByTestId('history-list');
    await list.waitFor({ timeout: 10_000 });
    const newest = list.locator('li[data-action]').first();
    expect(await newest.getAttribute('data-action')).toBe('update');
    const text = (await newest.textContent())!;
    expect(text).toContain('admin');
    expect(text).toContain('修改');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const status = newest.locator('li[data-field="status"]');
    expect(await status.textContent()).toMatch(/状态.*已上报.*→.*已派/);
    await screenshot(page, 'feature-history');
    // The API holds the same entry.
    const audit = await apiJson(app.url, `/api/audit?collection=garbage_points&feature_id=${point.id}`);
    expect(audit.entries[0]).toMatchObject({ username: 'admin', action: 'update', collection: 'garbage_points', feature_id: point.id });
  });

  it('creates a user with a role and villages, who then signs in', async () => {
    const { page } = admin;
    await page.getByTestId('account-button').click();
    await page.getByTestId('menu-users').click();
    const users = page.getByTestId('users-admin');
    await users.waitFor({ timeout: 10_000 });
    for (const name of ['admin', 'planner', 'greening', 'inspector', 'village', 'viewer']) expect(await users.locator(`li[data-username="${name}"]`).count(), name).toBe(1);
    expect(await users.locator('li[data-username="village"]').textContent()).toContain('包集村');
    await page.getByTestId('new-user').click();
    // Checked before sending: a short password, a village officer without a village.
    await page.getByTestId('new-user-username').fill('li.si');
    await page.getByTestId('new-user-password').fill('short');
    await page.getByTestId('new-user-role').selectOption('village_officer');
    await page.getByTestId('create-user-submit').click();
    const form = page.getByTestId('user-create-form');
    expect(await form.textContent()).toContain('至少 8 个字符');
    expect(await form.textContent()).toContain('村干部至少要负责一个村');
    await page.getByTestId('new-user-password').fill('cunganbu-2026');
    const villageNames = await form.getByTestId('village-picker').locator('input').evaluateAll((is) => is.map((i) => (i as HTMLInputElement).value));
    expect(villageNames.length).toBe((await apiJson(app.url, '/api/collections/villages/items?limit=1')).numberMatched);
    await form.getByTestId('village-picker').locator('input').nth(1).check();
    await form.getByTestId('village-picker').locator('input').nth(2).check();
    await screenshot(page, 'admin-new-user');
    await page.getByTestId('create-user-submit').click();
    await users.locator('li[data-username="li.si"]').waitFor({ timeout: 10_000 });
    const stored = (await apiJson(app.url, '/api/users')) as { username: string; role: string; villages: string[] }[] | { users: any[] };
    const liSi = (Array.isArray(stored) ? stored : stored.users).find((u) => u.username === 'li.si');
    expect(liSi.role).toBe('village_officer');
    expect([...liSi.villages].sort()).toEqual([villageNames[1], villageNames[2]].sort());
    expect(await users.locator('li[data-username="li.si"]').textContent()).toContain('村干部');
    await screenshot(page, 'admin-users');

    // Change li.si's role, then reset the password and disable, then enable again.
    await page.getByTestId('edit-user-li.si').click();
    await page.getByTestId('edit-user-role').selectOption('greening');
    await page.getByTestId('save-user').click();
    await expect.poll(() => users.locator('li[data-username="li.si"]').textContent(), { timeout: 10_000 }).toContain('绿化');

    const other = await anonymousPage({ width: 390, height: 844 });
    await signInThroughPage(other, 'li.si', 'cunganbu-2026');
    expect(await other.page.getByTestId('account-role').textContent()).toBe('绿化');
    await waitForMap(other.page);
    await screenshot(other.page, 'signed-in-new-user-phone');
    await close(other);

    await page.getByTestId('edit-user-li.si').click();
    await page.getByTestId('toggle-disabled').click();
    await expect.poll(() => users.locator('li[data-username="li.si"] [data-testid="user-disabled"]').count(), { timeout: 10_000 }).toBe(1);
    const disabled = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li.si', password: 'cunganbu-2026' }) });
    expect(disabled.status).toBe(403);
    await page.getByTestId('toggle-disabled').click();
    await expect.poll(() => users.locator('li[data-username="li.si"] [data-testid="user-disabled"]').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('edit-user-password').fill('neues-passwort-1');
    await page.getByTestId('reset-password').click();
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain('已重置 li.si 的密码');
    expect((await signIn(app.url, 'li.si', 'neues-passwort-1')).user.role).toBe('greening');
  });

  it('lists the audit log with filters and pages', async () => {
    const { page } = admin;
    await page.getByTestId('admin-tab-audit').click();
    const log = page.getByTestId('audit-log');
    await log.waitFor();
    await page.getByTestId('audit-table').waitFor({ timeout: 10_000 });
    const all = await apiJson(app.url, '/api/audit?limit=1');
    expect(await page.getByTestId('audit-range').textContent()).toBe(`第 1–${Math.min(25, all.numberMatched)} 条，共 ${all.numberMatched} 条`);
    expect(all.numberMatched).toBeGreaterThan(25);
    await page.getByTestId('audit-next').click();
    await expect.poll(() => page.getByTestId('audit-range').textContent(), { timeout: 10_000 }).toMatch(/^第 26–/);
    await page.getByTestId('audit-prev').click();
    await expect.poll(() => page.getByTestId('audit-range').textContent(), { timeout: 10_000 }).toMatch(/^第 1–/);

    await page.getByTestId('audit-user').selectOption('admin');
    await page.getByTestId('audit-collection').selectOption('garbage_points');
    await page.getByTestId('audit-action').selectOption('update');
    const expected = await apiJson(app.url, '/api/audit?user=admin&collection=garbage_points&action=update&limit=25');
    await expect.poll(() => page.getByTestId('audit-range').textContent(), { timeout: 10_000 }).toBe(`第 1–${expected.entries.length} 条，共 ${expected.numberMatched} 条`);
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    expect(await rows.count()).toBe(expected.entries.length);
    expect(await rows.first().textContent()).toContain('垃圾');
    expect(await rows.first().textContent()).toContain('已派');
    await screenshot(page, 'admin-audit-log');

    // A day range: today (Shanghai) includes them, a day in the past nothing.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.getByTestId('audit-from').fill(today);
    await page.getByTestId('audit-to').fill(today);
    await expect.poll(() => page.getByTestId('audit-range').textContent(), { timeout: 10_000 }).toContain(`共 ${expected.numberMatched} 条`);
    await page.getByTestId('audit-from').fill('2020-01-01');
    await page.getByTestId('audit-to').fill('2020-01-02');
    await page.getByTestId('audit-empty').waitFor({ timeout: 10_000 });
    // A feature's id opens it on the map.
    await page.getByTestId('audit-from').fill(today);
    await page.getByTestId('audit-to').fill(today);
    await rows.first().locator('button.link').click();
    await page.getByTestId('feature-details').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('admin-panel').count()).toBe(0);
  });

  it('the admin screens work on a phone as a sheet', async () => {
    const phone = await openPage(browser, app.url, { user: 'admin', width: 390, height: 844 });
    const { page } = phone;
    await waitForMap(page);
    await page.getByTestId('account-button').click();
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-table').waitFor({ timeout: 10_000 });
    const box = (await page.getByTestId('admin-panel').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(389);
    expect(box.y + box.height).toBeCloseTo(844, 0);
    await screenshot(page, 'admin-audit-phone');
    await page.getByTestId('admin-tab-users').click();
    await page.getByTestId('users-admin').waitFor();
    await screenshot(page, 'admin-users-phone');
    await page.getByTestId('admin-close').click();
    expect(await page.getByTestId('admin-panel').count()).toBe(0);
    await close(phone);
  });
});

describe('public read (PUBLIC_READ=1)', () => {
  let open: App;
  beforeAll(async () => {
    open = await startApp({ PUBLIC_READ: '1' });
  });
  afterAll(async () => {
    await open?.stop();
  });

  it('shows the map read-only to anonymous visitors with a 登录 button that leads to the login page', async () => {
    const p = await openPage(browser, open.url, { user: null, noNavigation: true });
    const { page } = p;
    p.expectFailedRequest('/api/auth/me', 401);
    const point = (await apiJson(open.url, '/api/collections/garbage_points/items?limit=1')).features[0];
    await page.goto(`${open.url}/#map=15.00/${point.geometry.coordinates[1].toFixed(5)}/${point.geometry.coordinates[0].toFixed(5)}&sel=garbage_points/${point.id}`);
    await waitForMap(page);
    await page.getByTestId('feature-details').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('feature-properties').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('login-button').textContent()).toBe('登录');
    expect(await page.getByTestId('new-feature-button').count()).toBe(0);
    expect(await page.getByTestId('edit-feature').count()).toBe(0);
    // The history is for signed-in users.
    expect(await page.getByTestId('feature-history').count()).toBe(0);
    expect((await p.page.evaluate(() => window.__remap!.rendered('roads'))).length).toBeGreaterThan(0);
    await screenshot(page, 'public-read-anonymous');

    await page.getByTestId('login-button').click();
    await page.getByTestId('login-page').waitFor();
    await page.getByTestId('login-back').click();
    await page.getByTestId('login-button').waitFor();
    await page.getByTestId('login-button').click();
    await page.getByTestId('login-username').fill('inspector');
    await page.getByTestId('login-password').fill(DEMO_PASSWORDS.inspector);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('account-button').waitFor({ timeout: 30_000 });
    await page.getByTestId('feature-details').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('feature-details').getAttribute('data-id')).toBe(String(point.id));
    expect(await page.getByTestId('edit-feature').count()).toBe(1);
    // Signing out returns to the read-only map, not to the login page.
    await page.getByTestId('account-button').click();
    await page.getByTestId('menu-logout').click();
    await page.getByTestId('login-button').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('login-page').count()).toBe(0);
    await close(p);
  });
});

describe('changing one\'s password', () => {
  it('checks the fields, refuses a wrong current password, and the new one signs in', async () => {
    await apiJson(app.url, '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao.liu', password: 'chushi-mima-1', role: 'planner', villages: [] }) });
    const p = await anonymousPage();
    const { page } = p;
    await signInThroughPage(p, 'zhao.liu', 'chushi-mima-1');
    await page.getByTestId('account-button').click();
    await page.getByTestId('menu-password').click();
    const dialog = page.getByTestId('password-dialog');
    await dialog.waitFor();
    await page.getByTestId('password-current').fill('chushi-mima-1');
    await page.getByTestId('password-next').fill('short');
    await page.getByTestId('password-submit').click();
    expect(await dialog.textContent()).toContain('至少 8 个字符');
    await page.getByTestId('password-next').fill('xin-mima-2026');
    await page.getByTestId('password-confirm').fill('xin-mima-2025');
    await page.getByTestId('password-submit').click();
    expect(await dialog.textContent()).toContain('两次输入的新密码不一致');
    await screenshot(page, 'change-password-errors');
    await page.getByTestId('password-current').fill('not-my-password');
    await page.getByTestId('password-confirm').fill('xin-mima-2026');
    const seen400 = p.expectFailedRequest('/api/auth/password', 400);
    await page.getByTestId('password-submit').click();
    await expect.poll(() => dialog.textContent(), { timeout: 10_000 }).toContain('当前密码不正确');
    expect(seen400()).toBe(true);
    await page.getByTestId('password-current').fill('chushi-mima-1');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 10_000 }).toBe('密码已修改');
    expect(await dialog.count()).toBe(0);
    // Still signed in here; the old password no longer works, the new one does.
    expect(await page.getByTestId('account-name').textContent()).toBe('zhao.liu');
    const old = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao.liu', password: 'chushi-mima-1' }) });
    expect(old.status).toBe(401);
    expect((await signIn(app.url, 'zhao.liu', 'xin-mima-2026')).user.role).toBe('planner');
    await close(p);
  });

  it('made no request outside the app and logged no unexpected console error', () => {
    expect(allOutside).toEqual([]);
    expect(allErrors).toEqual([]);
  });
});
