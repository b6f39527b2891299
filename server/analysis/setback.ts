/**
 * Setback compliance: structures inside the setback of the selected roads (setback_violations,
 * migration 006), tallied per 1 km unit, road and village.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { getSetting } from '../settings/settings.js';
import type { Reference, RoadRef } from './params.js';

export const SETBACK_KINDS = ['pig_pen', 'dry_toilet', 'shed', 'illegal_building'];
export const SETBACK_STATUSES = ['identified', 'marked', 'notice_issued'];

export interface SetbackParams {
  roads: RoadRef[];
  roadCodes: string[] | 'all';
  /** One distance for every road, or undefined for the per-class rule from settings. */
  distance_m?: number;
  reference: Reference;
  village: string | null;
  statuses: string[];
}

interface UnitRow { id: number; road_id: number; code: string; name: string; k: number; length_m: number; village: string | null; geometry: string }
interface ViolationRow {
  site_id: number; kind: string; status: string; road_id: number; road_code: string;
  distance_m: number; limit_m: number; stake_m: number; unit_id: number | null; village: string | null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (ok: number, all: number) => (all ? round((100 * ok) / all, 2) : 100);
const stake = (m: number) => `K${Math.floor(Math.round(m) / 1000)}+${String(Math.round(m) % 1000).padStart(3, '0')}`;

export async function setback(db: Queryable, p: SetbackParams) {
  const byClass = await getSetting(db, 'setback_m_by_class');
  const ids = p.roads.map((r) => r.id);
  const { rows: allUnits } = await db.query<UnitRow>(sqlFile('analysis/setback_units'), [ids]);
  const { rows: allViolations } = await db.query<ViolationRow>(
    'SELECT * FROM setback_violations($1::bigint[], $2::float8, $3::jsonb, $4::boolean, $5::text[], $6::text[]) ORDER BY road_code, stake_m, site_id',
    [ids, p.distance_m ?? null, JSON.stringify(byClass), p.reference === 'edge', p.statuses, SETBACK_KINDS],
  );
  const units = p.village ? allUnits.filter((u) => u.village === p.village) : allUnits;
  const violations = p.village ? allViolations.filter((v) => v.village === p.village) : allViolations;
  const violatingUnits = new Set(allViolations.map((v) => v.unit_id));

  const tally = (us: UnitRow[], vs: ViolationRow[]) => {
    const bad = us.filter((u) => violatingUnits.has(u.id)).length;
    return {
      length_km: round(us.reduce((s, u) => s + u.length_m, 0) / 1000, 3),
      units: us.length,
      violating_units: bad,
      compliance_pct: pct(us.length - bad, us.length),
      violations: vs.length,
    };
  };

  const codes = [...new Set(units.map((u) => u.code))];
  const villages = [...new Set(units.map((u) => u.village))].sort((a, b) => (a ?? '').localeCompare(b ?? '', 'zh'));
  const roadsWithoutWidth = p.reference === 'edge' ? [...new Set(p.roads.filter((r) => r.width_m === null).map((r) => r.code))] : undefined;

  const report = {
    parameters: {
      distance_m: p.distance_m ?? null,
      // the per-class rule that applied where distance_m was not given
      ...(p.distance_m === undefined ? { distance_m_by_class: byClass } : {}),
      reference: p.reference,
      roads: p.roadCodes,
      village: p.village,
      statuses: p.statuses,
      kinds: SETBACK_KINDS,
    },
    ...(roadsWithoutWidth ? { roads_without_width: roadsWithoutWidth } : {}),
    total: tally(units, violations),
    roads: codes.map((code) => {
      const us = units.filter((u) => u.code === code);
      return { code, name: us[0].name, ...tally(us, violations.filter((v) => v.road_code === code)) };
    }),
    villages: villages.map((name) => {
      const t = tally(units.filter((u) => u.village === name), []);
      return { name, units: t.units, violating_units: t.violating_units, compliance_pct: t.compliance_pct };
    }),
    violations: violations.map((v) => ({
      site_id: v.site_id,
      kind: v.kind,
      status: v.status,
      road_code: v.road_code,
      distance_m: round(v.distance_m, 2),
      limit_m: v.limit_m,
      stake: stake(v.stake_m),
      stake_m: round(v.stake_m, 1),
      village: v.village,
    })),
  };
  return { report, units, violatingUnits };
}

/** The same analysis for the map: the setback bands, units coloured by compliance and the violating structures. */
export async function setbackGeoJson(db: Queryable, p: SetbackParams) {
  const { report, units, violatingUnits } = await setback(db, p);
  const { rows: bands } = await db.query<{ road_code: string; limit_m: number; half_m: number; geometry: string }>(
    sqlFile('analysis/setback_band'),
    [p.roads.map((r) => r.id), p.distance_m ?? null, JSON.stringify(await getSetting(db, 'setback_m_by_class')), p.reference === 'edge'],
  );
  const ids = report.violations.map((v) => v.site_id);
  const { rows: sites } = await db.query<{ id: number; geometry: string }>(
    'SELECT id, ST_AsGeoJSON(geom, 7) AS geometry FROM demolition_sites WHERE id = ANY ($1::bigint[])', [ids]);
  const geometryOf = new Map(sites.map((s) => [s.id, JSON.parse(s.geometry)]));
  return {
    type: 'FeatureCollection',
    parameters: report.parameters,
    total: report.total,
    features: [
      ...bands.map((b) => ({
        type: 'Feature',
        geometry: JSON.parse(b.geometry),
        properties: { layer: 'band', road_code: b.road_code, limit_m: b.limit_m, half_m: round(b.half_m, 2) },
      })),
      ...units.map((u) => ({
        type: 'Feature',
        id: `unit-${u.id}`,
        geometry: JSON.parse(u.geometry),
        properties: { layer: 'unit', road_code: u.code, stake: stake(u.k * 1000), k: u.k, village: u.village, length_m: round(u.length_m, 1), complies: !violatingUnits.has(u.id) },
      })),
      ...report.violations.map((v) => ({
        type: 'Feature',
        id: `site-${v.site_id}`,
        geometry: geometryOf.get(v.site_id),
        properties: { layer: 'violation', ...v },
      })),
    ],
  };
}
