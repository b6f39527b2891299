/**
 * The one backup file: a gzip'd tar of manifest.json, the database dump and media/. Written under
 * a temporary name and renamed at the end, so a failed backup never leaves a file that looks whole.
 * Read back into a scratch folder and checked (gzip CRC, every file's size and SHA-256 against the
 * manifest) before restore touches anything.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { tmpdir } from 'node:os';
import * as tar from 'tar';
import { manifestProblem, type FileEntry, type Manifest } from './manifest.js';

export class BackupError extends Error {}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

/** Every regular file under root (following a symlinked top folder), as archive paths with '/'. */
function listFiles(root: string, under: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, under));
  return out;
}

export async function fileEntries(root: string, paths: string[]): Promise<Record<string, FileEntry>> {
  const out: Record<string, FileEntry> = {};
  for (const p of paths) out[p] = { bytes: statSync(join(root, p)).size, sha256: await sha256File(join(root, p)) };
  return out;
}

/** The media files under staging/media (a symlink to DATA_DIR/media), if any. */
export function mediaFiles(staging: string): string[] {
  return existsSync(join(staging, 'media')) ? listFiles(staging, 'media') : [];
}

/** Packs staging/<manifest.json, the dump, media/> into `file` (atomically: temp name, then rename). */
export async function writeArchive(file: string, staging: string, manifest: Manifest): Promise<void> {
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const partial = join(dirname(file), `.${file.split(sep).pop()}.partial-${process.pid}`);
  try {
    // manifest.json first: a reader learns what it holds before the big parts.
    await tar.c({ gzip: true, file: partial, cwd: staging, follow: true, portable: true }, ['manifest.json', ...Object.keys(manifest.files)]);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

/** A scratch folder for staging, removed by the caller. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Unpacks `file` into a scratch folder and checks it completely. Throws a BackupError that says
 * what is wrong with the file; on success the caller owns (and removes) the returned folder.
 */
export async function readArchive(file: string): Promise<{ dir: string; manifest: Manifest }> {
  if (!existsSync(file) || !lstatSync(file).isFile()) throw new BackupError(`${file} does not exist or is not a file`);
  const dir = scratchDir('remap-restore-');
  try {
    try {
      // strict: a truncated or damaged archive (bad gzip data or CRC, broken tar header) is an error, not a warning.
      // Only plain files and folders: a link in a crafted archive could point out of DATA_DIR.
      await tar.x({ file, cwd: dir, strict: true, preservePaths: false, filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory') });
    } catch (e) {
      throw new BackupError(`${file} is damaged or not a backup (${(e as Error).message}): use another copy of the backup`);
    }
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new BackupError(`${file} is not a Remediation Map backup (no manifest.json)`);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    } catch {
      throw new BackupError(`${file} has a damaged manifest.json: use another copy of the backup`);
    }
    const problem = manifestProblem(manifest);
    if (problem) throw new BackupError(`${file} cannot be restored: ${problem}`);
    const present = [manifest.database_file, ...mediaFiles(dir)].filter((p) => existsSync(join(dir, p)));
    for (const [path, entry] of Object.entries(manifest.files)) {
      const p = join(dir, path);
      if (!existsSync(p)) throw new BackupError(`${file} is incomplete: ${path} is missing (truncated copy?): use another copy of the backup`);
      if (statSync(p).size !== entry.bytes || (await sha256File(p)) !== entry.sha256) {
        throw new BackupError(`${file} is damaged: ${path} does not match its checksum: use another copy of the backup`);
      }
    }
    const extra = present.filter((p) => !manifest.files[p]);
    if (extra.length) throw new BackupError(`${file} holds files its manifest does not list (${extra.slice(0, 3).join(', ')}): it was altered`);
    return { dir, manifest };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
