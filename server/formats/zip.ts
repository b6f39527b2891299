/**
 * Zips on disk (Shapefile, KMZ), read with yauzl: the central directory first, so the bomb guard
 * (declared sizes and the number of entries) runs before anything is inflated, then each entry
 * the reader wants is inflated as a stream into a file of the scratch folder. yauzl checks
 * every entry's real size against its declared one, so a zip that lies about its sizes fails
 * instead of filling the disk.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { HttpError, badFile } from '../errors.js';
import { decodeText } from './text.js';

export interface ZipListing {
  /** Entry names (folders included in the name; macOS __MACOSX entries and folders left out). */
  names: string[];
  /** Inflates one entry into the scratch folder and returns its path there. */
  extract(name: string): Promise<string>;
  close(): void;
}

const MAX_ENTRIES = 1000;

function unreadable(e: unknown): HttpError {
  return badFile('unreadable_file', `the file is not a readable zip (${(e as Error).message}); send the zip as it was made`);
}

/** Opens the zip at `path`; entries will be inflated into `dir`. */
export async function openZip(path: string, dir: string, maxBytes: number): Promise<ZipListing> {
  let zip: yauzl.ZipFile;
  try {
    // Names raw: Chinese Windows tools write GBK names without the UTF-8 flag.
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (e) {
    throw unreadable(e);
  }
  const bomb = (what: string) => new HttpError(413, 'payload_too_large', `the zip ${what}, more than the ${Math.round(maxBytes / 1024 / 1024)} MB allowed unpacked (a zip bomb?); nothing was written`);
  const entries = new Map<string, yauzl.Entry>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const name = (entry.generalPurposeBitFlag & 0x800 ? raw.toString('utf8') : decodeText(raw).text).replace(/\\/g, '/');
        if (!name.startsWith('__MACOSX/') && !name.endsWith('/')) {
          total += entry.uncompressedSize;
          if (entries.size + 1 > MAX_ENTRIES) return reject(bomb(`has more than ${MAX_ENTRIES} files`));
          if (total > maxBytes) return reject(bomb(`unpacks to ${Math.round(total / 1024 / 1024)} MB`));
          entries.set(name, entry);
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    throw e instanceof HttpError ? e : unreadable(e);
  }
  let n = 0;
  return {
    names: [...entries.keys()],
    async extract(name: string) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`no zip entry ${name}`);
      // Entries get numbered names: nothing of the zip's own names reaches the file system.
      const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? 'bin';
      const out = join(dir, `entry-${n++}.${ext.toLowerCase()}`);
      try {
        const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
        await pipeline(stream, createWriteStream(out));
      } catch (e) {
        throw unreadable(e);
      }
      return out;
    },
    close: () => zip.close(),
  };
}
