/**
 * Fixture makers for the file-format tests: multipart bodies, a Gauss-Krüger forward projection
 * written independently of proj4 (Krüger's series as in Karney 2011, good to well under a
 * millimetre within a 3-degree zone), and Shapefiles built byte by byte from given coordinates.
 */
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { writeShp, writeDbf, dbfNames, type DbfField } from '../../server/formats/shapefile-write.js';

/** A multipart/form-data body with one file in field `file`. */
export function multipart(filename: string, data: Uint8Array, contentType = 'application/octet-stream', field = 'file') {
  const boundary = `----remap${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(data), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Gauss-Krüger (transverse Mercator, k0 = 1) on the CGCS2000 ellipsoid: [easting without prefix, northing]. */
export function gaussKruger(lon: number, lat: number, lon0: number): [number, number] {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const n = f / (2 - f);
  const A = (a / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64 + n ** 6 / 256);
  const alpha = [
    n / 2 - (2 * n ** 2) / 3 + (5 * n ** 3) / 16 + (41 * n ** 4) / 180 - (127 * n ** 5) / 288 + (7891 * n ** 6) / 37800,
    (13 * n ** 2) / 48 - (3 * n ** 3) / 5 + (557 * n ** 4) / 1440 + (281 * n ** 5) / 630 - (1983433 * n ** 6) / 1935360,
    (61 * n ** 3) / 240 - (103 * n ** 4) / 140 + (15061 * n ** 5) / 26880 + (167603 * n ** 6) / 181440,
    (49561 * n ** 4) / 161280 - (179 * n ** 5) / 168 + (6601661 * n ** 6) / 7257600,
    (34729 * n ** 5) / 80640 - (3418889 * n ** 6) / 1995840,
    (212378941 * n ** 6) / 319334400,
  ];
  const phi = (lat * Math.PI) / 180;
  const dl = ((lon - lon0) * Math.PI) / 180;
  const c = (2 * Math.sqrt(n)) / (1 + n);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - c * Math.atanh(c * Math.sin(phi)));
  const xi = Math.atan(t / Math.cos(dl));
  const eta = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let e = eta;
  let nn = xi;
  alpha.forEach((al, i) => {
    const j = 2 * (i + 1);
    e += al * Math.cos(j * xi) * Math.sinh(j * eta);
    nn += al * Math.sin(j * xi) * Math.cosh(j * eta);
  });
  return [500000 + A * e, A * nn];
}

/** A zipped point Shapefile with the given attributes, .prj text and .cpg (or none). */
export function pointShapefile(name: string, points: { x: number; y: number; props: Record<string, unknown> }[], opts: { prj?: string; cpg?: string; encoding: 'gbk' | 'utf-8'; fields: DbfField[]; omit?: string[] }): Uint8Array {
  const { shp, shx } = writeShp('Point', points.map((p) => ({ type: 'Point', coordinates: [p.x, p.y] })));
  const names = dbfNames(opts.fields.map((f) => f.property));
  const files: Record<string, Uint8Array> = {
    [`${name}.shp`]: shp,
    [`${name}.shx`]: shx,
    [`${name}.dbf`]: writeDbf(opts.fields, names, points.map((p) => p.props), opts.encoding),
  };
  if (opts.prj) files[`${name}.prj`] = Buffer.from(opts.prj);
  if (opts.cpg) files[`${name}.cpg`] = Buffer.from(opts.cpg);
  for (const ext of opts.omit ?? []) delete files[`${name}.${ext}`];
  return zipSync(files);
}

export const gbk = (s: string) => iconv.encode(s, 'gbk');

/** ESRI .prj text of CGCS2000 3-degree GK zone 39 (as ArcGIS writes it), with or without the zone prefix. */
export function prjZone39(prefixed: boolean): string {
  const name = prefixed ? 'CGCS2000_3_Degree_GK_Zone_39' : 'CGCS2000_3_Degree_GK_CM_117E';
  return `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${prefixed ? '39500000.0' : '500000.0'}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
}
