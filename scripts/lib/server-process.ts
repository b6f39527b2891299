/**
 * Starts the real server process (node --import tsx server/main.ts) as a user would, reads the
 * port from its "ready … on http://host:port" line, and stops it by PID. The server is started
 * with ADMIN_USERNAME/ADMIN_PASSWORD (PROCESS_ADMIN unless the caller sets them), and
 * `authHeaders()` signs that admin in once and returns an `Authorization: Bearer` header.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The admin every started server has (a test and benchmark account, not a real one). */
export const PROCESS_ADMIN = { username: 'process-admin', password: 'process-admin-password' };

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** The admin's `{authorization: 'Bearer …'}` (signed in and a token made at the first call). */
  authHeaders: () => Promise<Record<string, string>>;
  /** fetch with the admin's token. */
  authFetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Sends a signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function runServer(env: Record<string, string | undefined>): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: undefined, ADMIN_USERNAME: PROCESS_ADMIN.username, ADMIN_PASSWORD: PROCESS_ADMIN.password, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

export async function startServer(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<RunningServer> {
  const { proc, output, exited } = runServer(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const check = () => {
      const m = /ready in [\d.]+ s on (http:\/\/[\d.]+:\d+)/.exec(output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });
  const username = 'ADMIN_USERNAME' in env ? env.ADMIN_USERNAME : PROCESS_ADMIN.username;
  const password = 'ADMIN_PASSWORD' in env ? env.ADMIN_PASSWORD : PROCESS_ADMIN.password;
  let headers: Promise<Record<string, string>> | undefined;
  const authHeaders = () => (headers ??= signIn(url, username ?? '', password ?? ''));
  return {
    url,
    proc,
    output,
    authHeaders,
    authFetch: async (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(await authHeaders()) } }),
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

/** Signs in (POST /api/auth/login) and makes a personal API token with the session. */
export async function signIn(url: string, username: string, password: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (login.status !== 200) throw new Error(`sign-in as ${username} failed: ${login.status} ${await login.text()}`);
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const made = await fetch(`${url}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
    body: JSON.stringify({ name: 'server-process' }),
  });
  if (made.status !== 201) throw new Error(`making an API token failed: ${made.status} ${await made.text()}`);
  const { token } = (await made.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}
