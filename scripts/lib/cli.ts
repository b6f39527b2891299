/** The shape shared by the backup and restore commands: `<file> [--force]`, one line on failure. */
import { resolve } from 'node:path';
import { StartupError } from '../../server/errors.js';
import { BackupError } from '../../server/backup/archive.js';

export async function runCli(name: string, usage: string, fn: (file: string, force: boolean) => Promise<void>): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  if (rest.length !== 1 || rest[0].startsWith('-')) {
    console.error(`${name}: give one file name: ${usage}`);
    process.exit(2);
  }
  try {
    await fn(resolve(rest[0]), force);
  } catch (e) {
    if (e instanceof BackupError || e instanceof StartupError) console.error(`${name}: ${e.message}`);
    else console.error(`${name} failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
