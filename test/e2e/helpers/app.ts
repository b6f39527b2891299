/**
 * End-to-end helpers: build the client when its sources changed, start the real server on a
 * fresh DATA_DIR (demo data and demo users seeded) and a free port, and drive Debian's Chromium
 * headless. Requests to any host but the test server are refused and recorded: the app must need
 * none. Pages open signed in as the demo admin unless told otherwise (the login page itself is
 * tested in accounts.test.ts); API checks go through an admin session too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test/e2e/artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

/** Runs `vite build` when dist/client is missing or older than the client's sources. */
export function ensureClientBuilt(): void {
  const built = join(ROOT, 'dist/client/index.html');
  const sources = ['client', 'vite.config.ts', 'server/collections/registry.ts', 'package-lock.json'].map((p) => join(ROOT, p)).filter(existsSync);
  if (existsSync(built) && !sources.some((p) => newest(p) > statSync(built).mtimeMs)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

export interface App {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx server/main.ts` on PORT=0 and reads the port from its ready line. */
export async function startApp(env: Record<string, string> = {}, timeoutMs = 150_000): Promise<App> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'remap-e2e-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', HOST: '127.0.0.1', PORT: '0', SEED_DEMO: '1', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /ready in [\d.]+ s on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.pid) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      // The users' browsers speak Chinese: date and month inputs show 年/月/日, not mm/dd/yyyy.
      '--lang=zh-CN',
    ],
  });
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Requests to any host but the app's (refused). */
  outside: string[];
  /**
   * Declares that one request to a URL containing `urlPart` is expected to fail with `status`
   * (a test provokes it and the app handles it). Chromium logs every 4xx/5xx response as a
   * console error "Failed to load resource: …" that no page script can prevent; that one message,
   * for that URL and status only, is then not counted as an error. Returns a function that tells
   * whether it was seen.
   */
  expectFailedRequest(urlPart: string, status: number, times?: number): () => boolean;
}

/** The demo township's users (server/auth/users.ts DEMO_USERS), one per role. */
export const DEMO_PASSWORDS: Record<string, string> = {
  admin: 'demo-admin-2026',
  planner: 'demo-planner-2026',
  greening: 'demo-greening-2026',
  inspector: 'demo-inspector-2026',
  village: 'demo-village-2026',
  viewer: 'demo-viewer-2026',
};

export interface Session {
  cookieName: string;
  cookieValue: string;
  csrf: string;
  user: { username: string; role: string; villages: string[] };
}

/** Signs in through the API (not the page): the session cookie and the CSRF token. */
export async function signIn(appUrl: string, username: string, password = DEMO_PASSWORDS[username]): Promise<Session> {
  const r = await fetch(`${appUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`sign-in as ${username} → ${r.status}: ${await r.text()}`);
  const body = (await r.json()) as { user: Session['user']; csrf_token: string };
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.includes('='));
  if (!cookie) throw new Error('the sign-in set no cookie');
  const eq = cookie.indexOf('=');
  return { cookieName: cookie.slice(0, eq), cookieValue: cookie.slice(eq + 1), csrf: body.csrf_token, user: body.user };
}

const adminSessions = new Map<string, Promise<Session>>();
/** One admin session per test server, for the API checks. */
export function adminSession(appUrl: string): Promise<Session> {
  let s = adminSessions.get(appUrl);
  if (!s) {
    s = signIn(appUrl, 'admin');
    s.catch(() => adminSessions.delete(appUrl));
    adminSessions.set(appUrl, s);
  }
  return s;
}

export async function openPage(browser: Browser, appUrl: string, opts: { width?: number; height?: number; path?: string; locale?: string; storage?: Record<string, string>; noNavigation?: boolean; /** Signed in as this demo user (default admin); null: not signed in. */ user?: string | null } = {}): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 }, locale: opts.locale ?? 'zh-CN' });
  const origin = new URL(appUrl).origin;
  const user = opts.user === undefined ? 'admin' : opts.user;
  if (user) {
    const s = await signIn(appUrl, user);
    await context.addCookies([{ name: s.cookieName, value: s.cookieValue, url: origin, httpOnly: true, sameSite: 'Lax' }]);
  }
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    outside.push(u);
    return route.abort();
  });
  if (opts.storage) {
    await context.addInitScript((items: Record<string, string>) => {
      for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
    }, opts.storage);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  const expected: { urlPart: string; status: number; left: number; seen: number }[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
    if (failed) {
      const url = m.location().url;
      const allowance = expected.find((x) => x.left > 0 && x.status === Number(failed[1]) && url.includes(x.urlPart));
      if (allowance) {
        allowance.left -= 1;
        allowance.seen += 1;
        return;
      }
      return void errors.push(`${m.text()} (${url})`);
    }
    errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  const expectFailedRequest = (urlPart: string, status: number, times = 1) => {
    const allowance = { urlPart, status, left: times, seen: 0 };
    expected.push(allowance);
    return () => allowance.seen > 0;
  };
  if (!opts.noNavigation) await page.goto(`${appUrl}${opts.path ?? '/'}`);
  return { context, page, errors, outside, expectFailedRequest };
}

/** Waits for the map hook and for every layer's tiles to load. */
export async function waitForMap(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => Boolean(window.__remap), undefined, { timeout: timeoutMs });
  await page.evaluate((t) => window.__remap!.whenIdle(t), timeoutMs);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** A request to the app's API with a session (the admin's unless given): cookie, and CSRF on writes. */
export async function apiFetch(appUrl: string, path: string, init: RequestInit = {}, session?: Session): Promise<Response> {
  const s = session ?? (await adminSession(appUrl));
  const headers = new Headers(init.headers);
  headers.set('cookie', `${s.cookieName}=${s.cookieValue}`);
  if (init.method && init.method !== 'GET' && init.method !== 'HEAD') headers.set('x-csrf-token', s.csrf);
  return fetch(`${appUrl}${path}`, { ...init, headers });
}

/** JSON from the app's API (for checking what the UI did), as the admin unless a session is given. */
export async function apiJson<T = any>(appUrl: string, path: string, init?: RequestInit, session?: Session): Promise<T> {
  const r = await apiFetch(appUrl, path, init, session);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

/**
 * One test file's server and browser: started before its tests (the client built first), stopped
 * after them together with the pages the file opened (`pages`) and, when asked for, a page on the
 * map signed in as admin (`main`). `use` hands them to the file's own variables.
 */
export function serverAndBrowser(
  use: (s: { app: App; browser: Browser; main?: OpenPage }) => void,
  opts: { main?: boolean; pages?: OpenPage[] } = {},
): void {
  let s: { app?: App; browser?: Browser; main?: OpenPage } = {};
  beforeAll(async () => {
    ensureClientBuilt();
    s = { app: await startApp() };
    s.browser = await launchChromium();
    if (opts.main) {
      s.main = await openPage(s.browser, s.app!.url);
      await waitForMap(s.main.page);
    }
    use(s as { app: App; browser: Browser; main?: OpenPage });
  }, 240_000);
  afterAll(async () => {
    for (const p of [...(s.main ? [s.main] : []), ...(opts.pages ?? [])]) await p.context.close().catch(() => {});
    await s.browser?.close();
    await s.app?.stop();
  });
}
