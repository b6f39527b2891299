/**
 * Coordinate systems and geometry codecs of server/formats: .prj texts as ArcGIS and QGIS write
 * them are placed in the right system, control points land where GDAL (when installed) and an
 * independent Gauss-Krüger series put them, and WKB/WKT/GPKG geometries survive a round trip.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { crsOfEpsg, crsOfPrj, esriWkt, fromWgs84, parseCrsParam, toWgs84 } from '../../server/formats/crs.js';
import { readGpkgGeometry, readWkb, readWkt, writeGpkgGeometry, writeWkb, writeWkt } from '../../server/formats/wkb.js';
import { gaussKruger } from '../helpers/formats.js';
import { dbfNames, writeDbf } from '../../server/formats/shapefile-write.js';
import iconv from 'iconv-lite';

function gdal(from: string, to: string, x: number, y: number): number[] | undefined {
  try {
    return execFileSync('gdaltransform', ['-s_srs', from, '-t_srs', to, '-output_xy'], { input: `${x} ${y}\n` }).toString().trim().split(/\s+/).map(Number);
  } catch {
    return undefined;
  }
}

describe('coordinate systems', () => {
  it('CGCS2000 3-degree zones: EPSG:4513–4533 with prefix and 4534–4554 by central meridian', () => {
    expect(crsOfEpsg(4527)).toMatchObject({ gk: { lon0: 117, prefixed: true } });
    expect(crsOfEpsg(4548)).toMatchObject({ gk: { lon0: 117, prefixed: false } });
    expect(crsOfEpsg(4513)!.gk!.lon0).toBe(75);
    expect(crsOfEpsg(4554)!.gk!.lon0).toBe(135);
    expect(crsOfEpsg(4498)!.gk).toMatchObject({ lon0: 117, width: 6, prefixed: true }); // zone 20
  });

  it('every zone of 4513–4554 puts its central meridian at easting 500 km (plus prefix) against the series', () => {
    for (let code = 4513; code <= 4554; code++) {
      const crs = crsOfEpsg(code)!;
      const lon0 = crs.gk!.lon0;
      const [x, y] = fromWgs84(crs)([lon0 + 1.2, 31.5]);
      const [e, n] = gaussKruger(lon0 + 1.2, 31.5, lon0);
      const prefix = crs.gk!.prefixed ? (lon0 / 3) * 1_000_000 : 0;
      expect(Math.abs(x - (prefix + e)), `EPSG:${code}`).toBeLessThan(0.001);
      expect(Math.abs(y - n), `EPSG:${code}`).toBeLessThan(0.001);
      const [lon, lat] = toWgs84(crs)([x, y]);
      expect(Math.abs(lon - (lon0 + 1.2))).toBeLessThan(1e-9);
      expect(Math.abs(lat - 31.5)).toBeLessThan(1e-9);
    }
  });

  it('UTM 50N and CGCS2000 zone 39 agree with GDAL to the millimetre (skipped without GDAL)', (ctx) => {
    const utm = gdal('EPSG:4326', 'EPSG:32650', 117.2, 32.95);
    if (!utm) return ctx.skip();
    const [x, y] = fromWgs84(crsOfEpsg(32650)!)([117.2, 32.95]);
    expect(Math.abs(x - utm[0])).toBeLessThan(0.001);
    expect(Math.abs(y - utm[1])).toBeLessThan(0.001);
    const gk = gdal('EPSG:4326', 'EPSG:4548', 117.2, 32.95)!;
    const [gx, gy] = fromWgs84(crsOfEpsg(4548)!)([117.2, 32.95]);
    expect(Math.abs(gx - gk[0])).toBeLessThan(0.001);
    expect(Math.abs(gy - gk[1])).toBeLessThan(0.001);
  });

  it('reads .prj files by datum, meridian and false easting', () => {
    expect(crsOfPrj(esriWkt(crsOfEpsg(4527)!))).toMatchObject({ gk: { lon0: 117, prefixed: true }, warning: undefined });
    expect(crsOfPrj(esriWkt(crsOfEpsg(4548)!))).toMatchObject({ gk: { lon0: 117, prefixed: false } });
    expect(crsOfPrj(esriWkt(crsOfEpsg(4490)!)).epsg).toBe(4490);
    expect(crsOfPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]').epsg).toBe(4326);
    const xian = crsOfPrj('PROJCS["Xian_1980_3_Degree_GK_Zone_39",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
    expect(xian).toMatchObject({ gk: { lon0: 117, prefixed: true } });
    expect(xian.warning).toMatch(/Xi'?an 1980/);
    const beijing = crsOfPrj('PROJCS["Beijing_1954_3_Degree_GK_CM_117E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
    expect(beijing.warning).toMatch(/Beijing 1954/);
    // Beijing 1954 sits some tens of metres off WGS84 here; the conversion moves it by about that.
    const [lon, lat] = toWgs84(beijing)(fromWgs84(crsOfEpsg(4548)!)([117.2, 32.95]));
    const offM = Math.hypot((lon - 117.2) * 93_500, (lat - 32.95) * 110_900);
    expect(offM).toBeGreaterThan(10);
    expect(offM).toBeLessThan(200);
    expect(crsOfPrj('PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]').epsg).toBe(32650);
    expect(() => crsOfPrj('PROJCS["x",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Albers"],UNIT["Meter",1.0]]')).toThrow(/unknown projection/);
    expect(() => crsOfPrj('garbage')).toThrow(/not readable WKT/);
  });

  it('parses the crs parameter and refuses what it cannot place', () => {
    expect(parseCrsParam('EPSG:4527').epsg).toBe(4527);
    expect(parseCrsParam('urn:ogc:def:crs:EPSG::4490').epsg).toBe(4490);
    expect(parseCrsParam('http://www.opengis.net/def/crs/OGC/1.3/CRS84').epsg).toBe(4326);
    expect(() => parseCrsParam('EPSG:3857')).toThrow(/not supported/);
  });
});

describe('geometry codecs', () => {
  const geoms = [
    { type: 'Point', coordinates: [117.1, 32.9] },
    { type: 'LineString', coordinates: [[117.1, 32.9], [117.2, 33]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.1], [0.5, 0.1], [0.5, 0.4], [0.2, 0.1]]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
    { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
  ];
  it('WKB, WKT and GeoPackage blobs round-trip', () => {
    for (const g of geoms) {
      expect(readWkb(writeWkb(g))).toEqual(g);
      expect(readWkt(writeWkt(g))).toEqual(g);
      expect(readGpkgGeometry(writeGpkgGeometry(g, 4490))).toEqual({ geometry: g, srsId: 4490 });
    }
  });
  it('drops Z from WKT and ISO WKB', () => {
    expect(readWkt('POINT Z (1 2 3)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    const b = new DataView(new ArrayBuffer(29));
    b.setUint8(0, 1);
    b.setUint32(1, 1001, true);
    [1, 2, 3].forEach((v, i) => b.setFloat64(5 + 8 * i, v, true));
    expect(readWkb(new Uint8Array(b.buffer))).toEqual({ type: 'Point', coordinates: [1, 2] });
  });
});

describe('dBASE field names', () => {
  it('keep Chinese within 10 bytes of the encoding, cut at a whole character, and number clashes', () => {
    expect(dbfNames(['reported_at', 'id', 'ID', '备注', '调查面积（亩）', 'a b-c'], 'utf-8')).toEqual(['reported_a', 'id', 'ID1', '备注', '调查面', 'a_b_c']);
    // UTF-8 has three bytes a character, GBK two (调查面积 and _ make 9 of 10).
    expect(dbfNames(['调查面积（亩）', '调查面积（亩）2'], 'gbk')).toEqual(['调查面积_', '调查面积_1']);
    // A character GBK cannot hold becomes _ rather than a '?' in the header.
    expect(dbfNames(['名称😀'], 'gbk')).toEqual(['名称_']);
    for (const n of dbfNames(['调查面积（亩）', '这是一个很长的中文字段名称'], 'utf-8')) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(10);
  });

  it('cut text over 254 bytes at a whole character in the encoding', () => {
    const text = '路边堆放'.repeat(80); // 320 characters
    for (const [encoding, chars] of [['gbk', 127], ['utf-8', 84]] as const) {
      const dbf = writeDbf([{ property: 'd', type: 'C' }], ['d'], [{ d: text }], encoding);
      const width = dbf[32 + 16];
      // Header (32 + 32 per field + 1), then the record: a deletion flag and the cell.
      const cell = Buffer.from(dbf.subarray(32 + 32 + 1 + 1, 32 + 32 + 1 + 1 + width));
      const decoded = encoding === 'gbk' ? iconv.decode(cell, 'gbk') : cell.toString('utf8');
      expect(decoded, encoding).toBe(text.slice(0, chars));
    }
  });
});
