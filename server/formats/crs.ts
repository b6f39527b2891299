/**
 * Coordinate systems files arrive in and leave in, and their transforms to and from WGS84
 * (EPSG:4326, how everything is stored). proj4 with definitions generated from the zone formulas:
 * no GDAL, no EPSG database.
 *
 * - EPSG:4326 WGS84 and EPSG:4490 CGCS2000 geographic (same ellipsoid parameters as GRS80; the
 *   datum differs from WGS84 by centimetres, treated as identical, as national practice does).
 * - EPSG:4513–4533 CGCS2000 / 3-degree Gauss-Kruger zone 25–45 (easting with the zone prefix,
 *   x_0 = zone·10⁶ + 500000) and EPSG:4534–4554 the same zones by central meridian 75°E–135°E
 *   (x_0 = 500000). Either way an easting that carries a zone prefix (≥ 10⁶) is read as such.
 * - EPSG:4491–4512 CGCS2000 6-degree zones 13–23, with and without prefix.
 * - Xi'an 1980 (EPSG:2327–2390) and Beijing 1954 (EPSG:2401–2442) Gauss-Kruger zones, named by a
 *   .prj: their datums differ from WGS84 by tens of metres and no public parameters fit every
 *   place, so such a file imports with a warning to check it against the township's roads.
 * - UTM on WGS84, EPSG:32601–32660 (north) and 32701–32760 (south).
 */
import proj4 from 'proj4';
import { badRequest, badFile } from '../errors.js';

export interface Crs {
  /** EPSG code, when known. */
  epsg?: number;
  /** What it is, for messages: "CGCS2000 / 3-degree Gauss-Kruger CM 117E". */
  name: string;
  /** proj4 definition. */
  proj4: string;
  geographic: boolean;
  /** Gauss-Kruger / TM: the central meridian and zone width, to read a zone prefix on the easting. */
  gk?: { lon0: number; width: 3 | 6; prefixed: boolean; datum: string };
  /** Set when the datum shift to WGS84 is approximate. */
  warning?: string;
}

const CGCS2000 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';
const XIAN80 = '+a=6378140 +rf=298.257 +towgs84=0,0,0,0,0,0,0';
// Beijing 1954 → WGS 84, the country-wide parameters (EPSG:15921 style, metres): good to a few metres.
const BEIJING54 = '+ellps=krass +towgs84=15.8,-154.4,-82.3,0,0,0,0';
const DATUM_WARNING = (datum: string) => `${datum} coordinates were converted with approximate datum parameters (errors of metres to tens of metres are possible); check the result against the township's roads`;

function tm(lon0: number, x0: number, datum: string): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 ${datum} +units=m +no_defs`;
}

function gkCrs(datumName: string, datum: string, width: 3 | 6, lon0: number, prefixed: boolean, epsg?: number, warning?: string): Crs {
  const zone = width === 3 ? lon0 / 3 : (lon0 + 3) / 6;
  const x0 = prefixed ? zone * 1_000_000 + 500_000 : 500_000;
  const name = prefixed ? `${datumName} / ${width}-degree Gauss-Kruger zone ${zone}` : `${datumName} / ${width}-degree Gauss-Kruger CM ${lon0}E`;
  return { epsg, name, proj4: tm(lon0, x0, datum), geographic: false, gk: { lon0, width, prefixed, datum }, warning };
}

/** The CRS of an EPSG code we support, or undefined. */
export function crsOfEpsg(code: number): Crs | undefined {
  if (code === 4326) return { epsg: 4326, name: 'WGS 84', proj4: '+proj=longlat +datum=WGS84 +no_defs', geographic: true };
  if (code === 4490) return { epsg: 4490, name: 'China Geodetic Coordinate System 2000', proj4: `+proj=longlat ${CGCS2000} +no_defs`, geographic: true };
  if (code >= 4491 && code <= 4501) return gkCrs('CGCS2000', CGCS2000, 6, (code - 4491 + 13) * 6 - 3, true, code);
  if (code >= 4502 && code <= 4512) return gkCrs('CGCS2000', CGCS2000, 6, (code - 4502 + 13) * 6 - 3, false, code);
  if (code >= 4513 && code <= 4533) return gkCrs('CGCS2000', CGCS2000, 3, (code - 4513 + 25) * 3, true, code);
  if (code >= 4534 && code <= 4554) return gkCrs('CGCS2000', CGCS2000, 3, 75 + (code - 4534) * 3, false, code);
  const xian = DATUM_WARNING("Xi'an 1980");
  if (code >= 2327 && code <= 2337) return gkCrs("Xian 1980", XIAN80, 6, (code - 2327 + 13) * 6 - 3, true, code, xian);
  if (code >= 2338 && code <= 2348) return gkCrs("Xian 1980", XIAN80, 6, 75 + (code - 2338) * 6, false, code, xian);
  if (code >= 2349 && code <= 2369) return gkCrs("Xian 1980", XIAN80, 3, (code - 2349 + 25) * 3, true, code, xian);
  if (code >= 2370 && code <= 2390) return gkCrs("Xian 1980", XIAN80, 3, 75 + (code - 2370) * 3, false, code, xian);
  const beijing = DATUM_WARNING('Beijing 1954');
  if (code >= 2401 && code <= 2421) return gkCrs('Beijing 1954', BEIJING54, 3, (code - 2401 + 25) * 3, true, code, beijing);
  if (code >= 2422 && code <= 2442) return gkCrs('Beijing 1954', BEIJING54, 3, 75 + (code - 2422) * 3, false, code, beijing);
  if ((code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760)) {
    const zone = code % 100;
    const south = code > 32700;
    return { epsg: code, name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`, proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`, geographic: false };
  }
  return undefined;
}

export const WGS84 = crsOfEpsg(4326)!;

/** `EPSG:4527`, `4527`, `urn:ogc:def:crs:EPSG::4527`, `wgs84`, `cgcs2000` → the CRS; anything else → 400. */
export function parseCrsParam(raw: string): Crs {
  const s = raw.trim();
  if (/^(wgs84|crs84|OGC:CRS84)$/i.test(s) || /CRS84$/.test(s)) return WGS84;
  if (/^cgcs2000$/i.test(s)) return crsOfEpsg(4490)!;
  const m = /^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[^:]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/)?(\d{4,5})$/i.exec(s);
  const crs = m ? crsOfEpsg(Number(m[1])) : undefined;
  if (!crs) {
    throw badRequest(`crs ${JSON.stringify(s.slice(0, 60))} is not supported; use EPSG:4326 (WGS84), EPSG:4490 (CGCS2000), EPSG:4513–4554 (CGCS2000 3-degree Gauss-Kruger), EPSG:4491–4512 (6-degree), EPSG:2327–2442 (Xi'an 1980, Beijing 1954), EPSG:326xx/327xx (UTM) or gcj02`);
  }
  return crs;
}

// ---------- .prj (WKT) ----------

interface WktNode { name: string; args: (string | number | WktNode)[] }

function parseWkt(text: string): WktNode {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const node = (): WktNode => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error('keyword expected');
    i += m[0].length;
    ws();
    const open = text[i];
    if (open !== '[' && open !== '(') return { name: m[0].toUpperCase(), args: [] };
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      ws();
      const ch = text[i];
      if (ch === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) throw new Error('unterminated string');
        args.push(text.slice(i + 1, end));
        i = end + 1;
      } else if (/[-+0-9.]/.test(ch)) {
        const n = /^[-+0-9.eE]+/.exec(text.slice(i))![0];
        args.push(Number(n));
        i += n.length;
      } else {
        args.push(node());
      }
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']' || text[i] === ')') { i++; break; }
      throw new Error(`unexpected ${text[i] ?? 'end'} at ${i}`);
    }
    return { name: m[0].toUpperCase(), args };
  };
  return node();
}

const children = (n: WktNode, name: string) => n.args.filter((a): a is WktNode => typeof a === 'object' && a.name === name);
const child = (n: WktNode, name: string) => children(n, name)[0];

function findDeep(n: WktNode, name: string): WktNode | undefined {
  for (const a of n.args) {
    if (typeof a !== 'object') continue;
    if (a.name === name) return a;
    const d = findDeep(a, name);
    if (d) return d;
  }
  return undefined;
}

function authorityCode(n: WktNode): number | undefined {
  const a = child(n, 'AUTHORITY') ?? child(n, 'ID');
  if (a && String(a.args[0]).toUpperCase() === 'EPSG') return Number(a.args[1]);
  return undefined;
}

type Datum = 'wgs84' | 'cgcs2000' | 'xian80' | 'beijing54';

function datumOf(name: string, a?: number): Datum | undefined {
  const s = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/cgcs2000|china2000|chinageodeticcoordinatesystem2000/.test(s)) return 'cgcs2000';
  if (/xian1980|xian80/.test(s) || a === 6378140) return 'xian80';
  if (/beijing1954|beijing54/.test(s) || a === 6378245) return 'beijing54';
  if (/wgs1984|wgs84/.test(s)) return 'wgs84';
  return undefined;
}

/**
 * The CRS a .prj (ESRI or OGC WKT) describes, matched to the systems above by name and
 * parameters; a projection we cannot place → 400 naming it.
 */
export function crsOfPrj(prj: string): Crs {
  let root: WktNode;
  try {
    root = parseWkt(prj.replace(/^\uFEFF/, ''));
    if (!root.args.length) throw new Error('no [ after the first keyword');
  } catch (e) {
    throw badFile('unknown_projection', `the .prj is not readable WKT (${(e as Error).message}); give the coordinate system with ?crs=EPSG:…`);
  }
  const code = authorityCode(root);
  if (code && crsOfEpsg(code)) return crsOfEpsg(code)!;
  const geog = root.name === 'GEOGCS' || root.name === 'GEOGCRS' ? root : findDeep(root, 'GEOGCS') ?? findDeep(root, 'GEOGCRS');
  const datumNode = geog ? child(geog, 'DATUM') : undefined;
  const spheroid = datumNode ? child(datumNode, 'SPHEROID') ?? child(datumNode, 'ELLIPSOID') : undefined;
  const a = spheroid ? Number(spheroid.args[1]) : undefined;
  const rootName = String(root.args[0] ?? '');
  const datum = datumOf(`${datumNode?.args[0] ?? ''} ${geog?.args[0] ?? ''} ${rootName}`, a) ?? (a === 6378137 ? 'wgs84' : undefined);
  const unknown = () => badFile('unknown_projection', `unknown projection in the .prj (${rootName.slice(0, 80) || root.name}); give it with ?crs=EPSG:… (e.g. EPSG:4527 for CGCS2000 Gauss-Kruger zone 39)`);
  if (root.name === 'GEOGCS' || root.name === 'GEOGCRS') {
    if (datum === 'cgcs2000') return crsOfEpsg(4490)!;
    if (datum === 'wgs84') return WGS84;
    throw unknown();
  }
  if (root.name !== 'PROJCS' && root.name !== 'PROJCRS') throw unknown();
  const projection = String((findDeep(root, 'PROJECTION') ?? findDeep(root, 'METHOD'))?.args[0] ?? '').toLowerCase();
  const params = new Map<string, number>();
  for (const p of [...children(root, 'PARAMETER'), ...(child(root, 'CONVERSION') ? children(child(root, 'CONVERSION'), 'PARAMETER') : [])]) {
    params.set(String(p.args[0]).toLowerCase().replace(/\s+/g, '_'), Number(p.args[1]));
  }
  if (!/transverse|gauss|tmerc/.test(projection)) throw unknown();
  const lon0 = params.get('central_meridian') ?? params.get('longitude_of_natural_origin') ?? NaN;
  const k = params.get('scale_factor') ?? params.get('scale_factor_at_natural_origin') ?? 1;
  const x0 = params.get('false_easting') ?? 0;
  const y0 = params.get('false_northing') ?? 0;
  const lat0 = params.get('latitude_of_origin') ?? params.get('latitude_of_natural_origin') ?? 0;
  if (!Number.isFinite(lon0)) throw unknown();
  if (datum === 'wgs84' && k === 0.9996) {
    const zone = Math.round((lon0 + 183) / 6);
    const code = (y0 >= 10_000_000 ? 32700 : 32600) + zone;
    if (crsOfEpsg(code) && Math.abs(zone * 6 - 183 - lon0) < 1e-9) return crsOfEpsg(code)!;
  }
  if ((datum === 'cgcs2000' || datum === 'xian80' || datum === 'beijing54') && k === 1 && lat0 === 0 && y0 === 0) {
    // The false easting tells a prefixed zone apart (zone·10⁶ + 500000) and whether it is a 3- or
    // 6-degree zone; without a prefix both are the same projection, called 3-degree here.
    const prefix = Math.floor(x0 / 1_000_000);
    const width: 3 | 6 = prefix > 0 && prefix * 6 - 3 === lon0 && prefix * 3 !== lon0 ? 6 : 3;
    const prefixed = prefix > 0 && x0 === prefix * 1_000_000 + 500_000 && (width === 3 ? prefix * 3 : prefix * 6 - 3) === lon0;
    if ((prefixed || x0 === 500_000) && (width === 6 || Number.isInteger(lon0 / 3))) {
      const d = { cgcs2000: ['CGCS2000', CGCS2000], xian80: ['Xian 1980', XIAN80], beijing54: ['Beijing 1954', BEIJING54] }[datum];
      const warning = datum === 'cgcs2000' ? undefined : DATUM_WARNING(d[0]);
      return gkCrs(d[0], d[1], width, lon0, prefixed, undefined, warning);
    }
  }
  if (datum) {
    // Another transverse Mercator on a known datum: as the .prj says.
    const d = { wgs84: '+datum=WGS84', cgcs2000: CGCS2000, xian80: XIAN80, beijing54: BEIJING54 }[datum];
    return { name: rootName || 'Transverse Mercator', proj4: `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} +x_0=${x0} +y_0=${y0} ${d} +units=m +no_defs`, geographic: false, warning: datum === 'xian80' || datum === 'beijing54' ? DATUM_WARNING(datum) : undefined };
  }
  throw unknown();
}

/** ESRI WKT of a CRS we export to (.prj, GeoPackage SRS definition). */
export function esriWkt(crs: Crs): string {
  const geogcs = (name: string, datum: string, sph: string) =>
    `GEOGCS["${name}",DATUM["${datum}",${sph}],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`;
  const wgs = geogcs('GCS_WGS_1984', 'D_WGS_1984', 'SPHEROID["WGS_1984",6378137.0,298.257223563]');
  const cgcs = geogcs('GCS_China_Geodetic_Coordinate_System_2000', 'D_China_2000', 'SPHEROID["CGCS2000",6378137.0,298.257222101]');
  if (crs.epsg === 4326) return wgs;
  if (crs.epsg === 4490) return cgcs;
  if (crs.gk && crs.epsg && crs.epsg >= 4491 && crs.epsg <= 4554) {
    const zone = crs.gk.width === 3 ? crs.gk.lon0 / 3 : (crs.gk.lon0 + 3) / 6;
    const x0 = crs.gk.prefixed ? zone * 1_000_000 + 500_000 : 500_000;
    const name = crs.gk.prefixed ? `CGCS2000_${crs.gk.width}_Degree_GK_Zone_${zone}` : `CGCS2000_${crs.gk.width}_Degree_GK_CM_${crs.gk.lon0}E`;
    return `PROJCS["${name}",${cgcs},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${x0.toFixed(1)}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${crs.gk.lon0.toFixed(1)}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
  }
  throw badRequest(`export in ${crs.name} is not offered; use EPSG:4326, EPSG:4490 or a CGCS2000 Gauss-Kruger zone (EPSG:4491–4554)`);
}

/** Export CRSs: WGS84, CGCS2000 and its Gauss-Kruger zones. */
export function exportCrs(raw: string | undefined): Crs {
  const crs = raw ? parseCrsParam(raw) : WGS84;
  esriWkt(crs);
  return crs;
}

// ---------- transforms ----------

export type Pos = number[];
export type Transform = (p: Pos) => Pos;

/**
 * A function from the CRS's coordinates to WGS84 lon/lat. A Gauss-Kruger easting with a zone
 * prefix (≥ 1,000,000) is read as zone·10⁶ + easting whatever the code said, and a prefix that
 * names another zone than the CRS's central meridian is refused (the file is in another zone).
 */
export function toWgs84(crs: Crs): Transform {
  if (crs.epsg === 4326 || crs.epsg === 4490) return (p) => [p[0], p[1]];
  const gk = crs.gk;
  const base = gk ? tm(gk.lon0, 500_000, gk.datum) : crs.proj4;
  const conv = proj4(base, WGS84.proj4);
  if (!gk) return (p) => conv.forward([p[0], p[1]]);
  const zoneOf = gk.width === 3 ? gk.lon0 / 3 : (gk.lon0 + 3) / 6;
  return (p) => {
    let x = p[0];
    if (x >= 1_000_000) {
      const zone = Math.floor(x / 1_000_000);
      // A 3-degree zone's number is its central meridian / 3, a 6-degree zone's (meridian + 3) / 6.
      if (zone * 3 !== gk.lon0 && zone * 6 - 3 !== gk.lon0) throw new CoordinateError(`easting ${x} carries zone prefix ${zone}, but the coordinate system is ${crs.name} (zone ${zoneOf}); give the right zone with ?crs=EPSG:…`);
      x -= zone * 1_000_000;
    }
    return conv.forward([x, p[1]]);
  };
}

/** From WGS84 lon/lat to the CRS (exports); Gauss-Kruger eastings as the code defines them. */
export function fromWgs84(crs: Crs): Transform {
  if (crs.epsg === 4326 || crs.epsg === 4490) return (p) => [p[0], p[1]];
  const conv = proj4(WGS84.proj4, crs.proj4);
  return (p) => conv.forward([p[0], p[1]]);
}

export class CoordinateError extends Error {}

/** Applies a position transform to every position of a GeoJSON geometry (a new geometry). */
export function transformGeometry<G extends { type: string; coordinates?: unknown }>(g: G, t: Transform): G {
  const walk = (c: unknown): unknown => (typeof (c as unknown[])[0] === 'number' ? t(c as Pos) : (c as unknown[]).map(walk));
  if (!g || !('coordinates' in g) || !g.coordinates) return g;
  return { ...g, coordinates: walk(g.coordinates) };
}
