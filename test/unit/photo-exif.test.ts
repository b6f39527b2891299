/**
 * Reading a photo's place and time from EXIF, on photos made by test/fixtures/exif-photo.ts
 * (sharp draws the JPEG, the fixture writes the APP1 EXIF/GPS block byte by byte).
 */
import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { readExif, sniffImage } from '../../server/photos/store.js';
import { jpegWithGps, exifSegment } from '../fixtures/exif-photo.js';

describe('EXIF of uploaded photos', () => {
  it('reads the GPS position and the camera time (Asia/Shanghai when no offset is given)', async () => {
    const exif = await readExif(await jpegWithGps(117.2345678, 32.9123456, '2026:06:15 07:45:30'));
    expect(exif.lon).toBeCloseTo(117.2345678, 6);
    expect(exif.lat).toBeCloseTo(32.9123456, 6);
    expect(exif.taken_at).toBe('2026-06-14T23:45:30.000Z');
  });

  it('gives the southern and western hemispheres their sign', async () => {
    const exif = await readExif(await jpegWithGps(-70.5, -33.25));
    expect(exif.lon).toBeCloseTo(-70.5, 6);
    expect(exif.lat).toBeCloseTo(-33.25, 6);
  });

  it('answers nulls for a photo without EXIF, and for bytes that are no photo', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
    expect(await readExif(plain)).toEqual({ lon: null, lat: null, taken_at: null });
    expect(await readExif(Buffer.from('not a photo'))).toEqual({ lon: null, lat: null, taken_at: null });
  });

  it('builds an APP1 segment that starts with the Exif header and states its own length', () => {
    const seg = exifSegment(117, 32, '2026:01:01 00:00:00');
    expect(seg.readUInt16BE(0)).toBe(0xffe1);
    expect(seg.readUInt16BE(2)).toBe(seg.length - 2);
    expect(seg.subarray(4, 10).toString('latin1')).toBe('Exif\0\0');
  });

  it('knows images by their first bytes, not by their name', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
    expect(sniffImage(png)?.mime).toBe('image/png');
    expect(sniffImage(await jpegWithGps(117, 32))?.mime).toBe('image/jpeg');
    const heic = Buffer.alloc(16);
    heic.write('ftypheic', 4, 'latin1');
    expect(sniffImage(heic)?.mime).toBe('image/heic');
    expect(sniffImage(Buffer.from('GIF89a……'))).toBeUndefined();
  });
});
