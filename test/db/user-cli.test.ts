/**
 * `npm run user`: creates accounts (password from stdin for scripts), refuses bad input with one
 * line, resets a password, lists users, and audits as "cli". Runs the real script as a process
 * on the engine under test (a fresh DATA_DIR, or the tier's PostgreSQL database).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { openDatabase } from '../../server/db/index.js';
import { verifyPassword } from '../../server/auth/passwords.js';
import { testDb, resetData } from '../helpers/db.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const databaseUrl = inject('databaseUrl');
const dataDir = mkdtempSync(join(tmpdir(), 'remap-cli-'));
const env = { ...process.env, DATABASE_URL: databaseUrl ?? undefined, DATA_DIR: dataDir, ADMIN_USERNAME: undefined, ADMIN_PASSWORD: undefined } as NodeJS.ProcessEnv;

function user(args: string[], stdin?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'scripts/user.ts', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
    if (stdin !== undefined) p.stdin.end(stdin);
    else p.stdin.end();
  });
}

/** Reads the database the script wrote (the embedded one only after the script has exited). */
async function stored(username: string) {
  const db = databaseUrl ? await testDb() : await openDatabase({ dataDir });
  try {
    const u = (await db.query<{ role: string; villages: string[]; password_hash: string }>('SELECT role, villages, password_hash FROM users WHERE username = $1', [username])).rows[0];
    const audit = (await db.query<{ username: string; action: string }>('SELECT username, action FROM audit_log ORDER BY id')).rows;
    return { u, audit };
  } finally {
    if (!databaseUrl) await db.close();
  }
}

beforeAll(async () => {
  if (databaseUrl) await resetData(await testDb());
});

describe('npm run user', () => {
  it('creates an admin with the password from stdin, and a village officer with villages', async () => {
    const made = await user(['create', '--role', 'admin', '--name', 'wang', '--password-stdin'], 'correct horse battery\n');
    expect(made.out).toMatch(/created wang \(admin\)/);
    expect(made.code).toBe(0);
    const officer = await user(['create', '--role', 'village_officer', '--name', 'zhao', '--villages', '包集村,石山村', '--password-stdin'], 'officer-password');
    expect(officer.code, officer.out).toBe(0);
    const { u, audit } = await stored('wang');
    expect(u.role).toBe('admin');
    expect(u.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(u.password_hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(u.password_hash, 'correct horse battery\n')).toBe(false);
    expect(audit).toEqual([{ username: 'cli', action: 'user_create' }, { username: 'cli', action: 'user_create' }]);
    expect((await stored('zhao')).u.villages).toEqual(['包集村', '石山村']);
  });

  it('refuses a taken name, a bad role, a short password and a missing terminal with one line each', async () => {
    const cases: [string[], string | undefined, RegExp][] = [
      [['create', '--role', 'viewer', '--name', 'wang', '--password-stdin'], 'another-password', /a user named wang exists already/],
      [['create', '--role', 'mayor', '--name', 'li', '--password-stdin'], 'li-password-1', /role must be one of admin, planner/],
      [['create', '--role', 'viewer', '--name', 'li', '--password-stdin'], 'short', /password is too short: use at least 8 characters/],
      [['create', '--role', 'viewer', '--name', 'li'], undefined, /no terminal to ask for the password on: pipe it in with --password-stdin/],
      [['create', '--name', 'li'], undefined, /create needs --role and --name/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await user(args, stdin);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(message);
      expect(r.out).not.toMatch(/\n\s+at /);
    }
  });

  it('resets a password and lists the users', async () => {
    const r = await user(['passwd', '--name', 'wang', '--password-stdin'], 'a new password');
    expect(r.code, r.out).toBe(0);
    expect(await verifyPassword((await stored('wang')).u.password_hash, 'a new password')).toBe(true);
    const list = await user(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^wang\tadmin\t-\tactive$/m);
    expect(list.out).toMatch(/^zhao\tvillage_officer\t包集村,石山村\tactive$/m);
  });
});
