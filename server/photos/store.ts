/**
 * Photos on disk: DATA_DIR/media/photos/<aa>/<sha256>.<ext> (the original, byte for byte) and
 * <sha256>.thumb.jpg (at most 480 px, EXIF removed, turned upright). Named by content, so the
 * same photo uploaded twice is stored once. The EXIF position and time are read with exifr.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import sharp from 'sharp';
import exifr from 'exifr';
import { HttpError } from '../errors.js';

export const THUMBNAIL_PX = 480;

/** The kinds accepted, by their first bytes (the browser's content type is not trusted). */
export function sniffImage(buf: Buffer): { mime: string; ext: string } | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: 'image/png', ext: 'png' };
  if (buf.length >= 12 && buf.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = buf.subarray(8, 12).toString('latin1');
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { mime: 'image/heic', ext: 'heic' };
    if (brand === 'avif') return { mime: 'image/avif', ext: 'avif' };
  }
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return { mime: 'image/webp', ext: 'webp' };
  return undefined;
}

export interface PhotoExif {
  lon: number | null;
  lat: number | null;
  /** RFC 3339; a camera time without offset is read in Asia/Shanghai. */
  taken_at: string | null;
}

/** GPS position and time from the photo's EXIF (nulls when absent or unreadable). */
export async function readExif(buf: Buffer): Promise<PhotoExif> {
  const out: PhotoExif = { lon: null, lat: null, taken_at: null };
  let tags: Record<string, unknown> | undefined;
  try {
    // reviveValues off: exifr would turn a time without offset into the server's local time.
    tags = await exifr.parse(buf, { gps: true, exif: true, tiff: true, reviveValues: false, pick: ['GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef', 'DateTimeOriginal', 'CreateDate', 'DateTime', 'OffsetTimeOriginal'] });
  } catch {
    return out;
  }
  if (!tags) return out;
  const dms = (v: unknown) => (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number') ? v[0] + v[1] / 60 + v[2] / 3600 : typeof v === 'number' ? v : null);
  const lat = dms(tags.GPSLatitude);
  const lon = dms(tags.GPSLongitude);
  if (lat !== null && lon !== null && Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0)) {
    out.lat = String(tags.GPSLatitudeRef ?? 'N').toUpperCase().startsWith('S') ? -lat : lat;
    out.lon = String(tags.GPSLongitudeRef ?? 'E').toUpperCase().startsWith('W') ? -lon : lon;
    if (Math.abs(out.lat) > 90 || Math.abs(out.lon) > 180) out.lat = out.lon = null;
  }
  const raw = [tags.DateTimeOriginal, tags.CreateDate, tags.DateTime].find((v) => typeof v === 'string' && /^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}/.test(v)) as string | undefined;
  if (raw) {
    const offset = typeof tags.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '+08:00';
    const iso = `${raw.slice(0, 10).replace(/:/g, '-')}T${raw.slice(11, 19)}${offset}`;
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) out.taken_at = new Date(t).toISOString();
  }
  return out;
}

export interface StoredPhoto {
  sha256: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  originalPath: string;
  /** '' when the server cannot decode the image (HEIC): no thumbnail. */
  thumbnailPath: string;
  exif: PhotoExif;
}

function writeOnce(path: string, data: Buffer): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Checks, reads and stores one uploaded image under mediaDir; throws 415/422 for what is not a
 * photo this server accepts. Nothing is written for a refused file.
 */
export async function storePhoto(mediaDir: string, buf: Buffer, filename: string): Promise<StoredPhoto> {
  const kind = sniffImage(buf);
  if (!kind) {
    // not_an_image, not unsupported_media_type: the request was right, the file is not a photo.
    throw new HttpError(415, 'not_an_image', `${filename.slice(0, 100) || 'the file'} is not a JPEG, PNG, HEIC or WebP image (its first bytes say so); choose a photo`);
  }
  const exif = await readExif(buf);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const rel = join('photos', sha256.slice(0, 2));
  let width: number | null = null;
  let height: number | null = null;
  let thumbnail: Buffer | null = null;
  try {
    const img = sharp(buf, { failOn: 'error' });
    const meta = await img.metadata();
    // EXIF orientations 5–8 are a quarter turn: the upright picture swaps width and height.
    const turned = (meta.orientation ?? 1) >= 5;
    width = (turned ? meta.height : meta.width) ?? null;
    height = (turned ? meta.width : meta.height) ?? null;
    thumbnail = await sharp(buf).rotate().resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  } catch {
    // HEIC (HEVC) is not among sharp's prebuilt decoders: the original is kept, without a thumbnail.
    if (kind.mime !== 'image/heic') {
      throw new HttpError(422, 'invalid_photo', `${filename.slice(0, 100) || 'the file'} looks like ${kind.mime} but cannot be decoded (damaged or cut short); upload the photo again`);
    }
  }
  const originalPath = join(rel, `${sha256}.${kind.ext}`);
  const thumbnailPath = thumbnail ? join(rel, `${sha256}.thumb.jpg`) : '';
  writeOnce(join(mediaDir, originalPath), buf);
  if (thumbnail) writeOnce(join(mediaDir, thumbnailPath), thumbnail);
  return { sha256, mime: kind.mime, bytes: buf.length, width, height, originalPath, thumbnailPath, exif };
}

/**
 * The original as anonymous readers get it: decoded, turned upright and encoded again without
 * any metadata, so the photo looks the same but carries no GPS position. Undefined when the
 * server cannot decode it (HEIC).
 */
export async function withoutMetadata(buf: Buffer, mime: string): Promise<{ data: Buffer; mime: string } | undefined> {
  try {
    const img = sharp(buf).rotate().keepIccProfile();
    if (mime === 'image/png') return { data: await img.png().toBuffer(), mime };
    if (mime === 'image/webp') return { data: await img.webp({ quality: 90 }).toBuffer(), mime };
    return { data: await img.jpeg({ quality: 92 }).toBuffer(), mime: 'image/jpeg' };
  } catch {
    return undefined;
  }
}

/** A stored photo file by its path relative to the media folder; a path that leaves the folder is refused. */
export async function readStoredFile(mediaDir: string, rel: string): Promise<Buffer> {
  const media = resolve(mediaDir);
  const file = resolve(media, rel);
  if (!file.startsWith(media + sep)) throw new Error(`the photo path ${JSON.stringify(rel)} leaves the media folder`);
  return readFile(file);
}
