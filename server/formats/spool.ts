/**
 * An uploaded file on disk instead of in memory. The request body (raw, or the multipart part)
 * is streamed into a scratch folder and counted as it comes, so a 128 MB upload costs 128 MB of
 * disk and a few chunks of memory; the readers then stream from the file, and the folder goes
 * when the import ends (`dispose`). Readers unpack zips into the same folder.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export interface SpooledFile {
  /** The file itself. */
  path: string;
  size: number;
  /** Its first bytes (up to 64 KB), for telling the format. */
  head: Buffer;
  /** A scratch folder beside it for what readers unpack (zip entries). */
  dir: string;
  dispose(): Promise<void>;
}

export const HEAD_BYTES = 64 * 1024;

/** Thrown when the body passes maxBytes; the caller turns it into its 413. */
export class TooLarge extends Error {}
/** Thrown when the body closes before its end (the client went away). */
export class Incomplete extends Error {}

const PREFIX = 'remap-import-';

async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), PREFIX));
}

/**
 * Removes scratch folders that no import has touched for `olderThanMs` (default an hour; an
 * import takes minutes): what a server killed in the middle of an import left behind. Run at
 * start; folders of imports running in other server processes are younger and stay.
 */
export async function removeStaleScratch(olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const newest = Math.max((await stat(dir)).mtimeMs, ...(await Promise.all((await readdir(dir)).map(async (f) => (await stat(join(dir, f))).mtimeMs))));
      if (now - newest < olderThanMs) continue;
      await rm(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // gone already, or not ours to read: leave it
    }
  }
  return removed;
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function spooled(dir: string, path: string): Promise<SpooledFile> {
  const { size } = await stat(path);
  return { path, size, head: await readHead(path, Math.min(size, HEAD_BYTES)), dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Streams `body` into a scratch file; more than maxBytes → TooLarge, and nothing is kept. The
 * body is then left unread, not destroyed, so that the caller can still answer (413) on the
 * same connection, as Fastify does for the bodies it reads itself.
 */
export async function spool(body: Readable, maxBytes: number, name = 'upload'): Promise<SpooledFile> {
  const dir = await scratchDir();
  const path = join(dir, name);
  const out = createWriteStream(path);
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      const stop = (e: Error) => {
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('close', onClose);
        body.pause();
        out.destroy();
        reject(e);
      };
      const onData = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > maxBytes) return stop(new TooLarge());
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      let ended = false;
      const onEnd = () => {
        ended = true;
        out.end();
      };
      // A client that goes away mid-upload closes the body without ending it.
      const onClose = () => {
        if (!ended) stop(new Incomplete());
      };
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('close', onClose);
      body.once('error', stop);
      out.once('error', stop);
      out.once('finish', resolve);
    });
    return await spooled(dir, path);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Bytes already in memory (tests, exports read back) as a spooled file. */
export async function spoolBuffer(buf: Uint8Array): Promise<SpooledFile> {
  return spool(Readable.from([Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)]), Number.MAX_SAFE_INTEGER);
}
