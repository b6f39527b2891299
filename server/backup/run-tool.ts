/** Runs one of PostgreSQL's client programs (pg_dump, pg_restore, psql) and collects its stderr. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BackupError } from './archive.js';

export interface ToolRun {
  proc: ChildProcess;
  done: Promise<{ code: number | null; stderr: string; stdout: string }>;
}

export function startTool(program: string, args: string[], options: { stdin?: 'pipe' | 'ignore'; captureStdout?: boolean } = {}): ToolRun {
  const proc = spawn(program, args, { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  if (options.captureStdout) proc.stdout!.on('data', (d) => (stdout += d));
  const done = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    proc.on('error', (e) => {
      const err = e as NodeJS.ErrnoException;
      reject(err.code === 'ENOENT'
        ? new BackupError(`${program} was not found: install PostgreSQL's client programs of the server's major version (Debian: apt-get install postgresql-client-15) and put them on PATH`)
        : e);
    });
    proc.on('close', (code) => resolve({ code, stderr, stdout }));
  });
  return { proc, done };
}

/** The first lines of a tool's complaint, without libpq's noise, for a one-line error. */
export function firstError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines.find((l) => /error|fatal/i.test(l)) ?? lines[0] ?? 'no message';
  return err.replace(/^(pg_dump|pg_restore|psql)(:\s*)?/, '');
}
