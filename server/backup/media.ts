/**
 * DATA_DIR/media (photos): copied into the backup as media/…, and on restore put back in place of
 * what is there. Photos are only ever added, so copying them after the database snapshot can only
 * add a file no row points to yet, never lose one a row needs.
 */
import { cpSync, existsSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const mediaDir = (dataDir: string) => join(dataDir, 'media');

export function hasMedia(dataDir: string): boolean {
  return existsSync(mediaDir(dataDir)) && readdirSync(mediaDir(dataDir)).length > 0;
}

/** Links DATA_DIR/media into the staging folder; the archive follows the link. */
export function stageMedia(dataDir: string, staging: string): void {
  if (existsSync(mediaDir(dataDir))) symlinkSync(mediaDir(dataDir), join(staging, 'media'), 'dir');
}

/** Replaces DATA_DIR/media by the backup's media (none in the backup: no media after). */
export function restoreMedia(dataDir: string, dir: string): void {
  const live = mediaDir(dataDir);
  const incoming = `${live}.restoring`;
  const previous = `${live}.previous`;
  rmSync(incoming, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
  // A copy, not a rename: the scratch folder may sit on another file system.
  if (existsSync(join(dir, 'media'))) cpSync(join(dir, 'media'), incoming, { recursive: true });
  if (existsSync(live)) renameSync(live, previous);
  if (existsSync(incoming)) renameSync(incoming, live);
  rmSync(previous, { recursive: true, force: true });
}
