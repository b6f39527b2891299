/**
 * The analyses the server computes (/api/analysis/…): their kinds, parameters with defaults, the
 * URLs for JSON, CSV and GeoJSON (the CSV link always carries the same parameters as the table),
 * checks of the parameters before a request, and the shapes of the answers. Pure functions.
 */

export const ANALYSES = ['setback', 'corridor', 'rewards', 'facilities', 'green-corridor', 'afforestation', 'patrol-coverage', 'ranking', 'report'] as const;
export type AnalysisKind = (typeof ANALYSES)[number];

/** Every parameter is kept as the text of its input ('' = the server's default). */
export type AnalysisParams = Record<string, string>;

export function isAnalysisKind(s: string): s is AnalysisKind {
  return (ANALYSES as readonly string[]).includes(s);
}

/** The month (YYYY-MM) in Asia/Shanghai `offset` months from the one holding `now`. */
export function shanghaiMonth(now: Date, offset = 0): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Parameters each panel starts with. Monthly analyses start on the last complete month (the one
 * a monthly report is about); the reward sum covers the year up to it.
 */
export function defaultParams(kind: AnalysisKind, now = new Date()): AnalysisParams {
  const last = shanghaiMonth(now, -1);
  switch (kind) {
    case 'setback':
      return { distance_m: '', reference: 'centerline', roads: '', village: '' };
    case 'corridor':
      return { month: last, corridor_m: '30', roads: '' };
    case 'rewards':
      return { from: `${last.slice(0, 4)}-01`, to: last, corridor_m: '30', roads: '' };
    case 'facilities':
      return { distance_m: '500', roads: '', suggest: '5' };
    case 'green-corridor':
      return { distance_m: '50', roads: '' };
    case 'afforestation':
      return { year: '', village: '', species: '' };
    case 'ranking':
      return { month: last };
    case 'report':
      return { month: last, village: '' };
    case 'patrol-coverage':
      // This month: which units were patrolled so far, and which never were.
      return { month: shanghaiMonth(now), buffer_m: '', roads: '' };
  }
}

/** The order parameters appear in a URL (stable, so equal parameters give equal URLs). */
const ORDER: Record<AnalysisKind, string[]> = {
  setback: ['distance_m', 'reference', 'roads', 'village'],
  corridor: ['month', 'corridor_m', 'roads'],
  rewards: ['from', 'to', 'corridor_m', 'roads'],
  facilities: ['distance_m', 'roads', 'suggest'],
  'green-corridor': ['distance_m', 'roads'],
  afforestation: ['year', 'village', 'species'],
  ranking: ['month'],
  report: ['month', 'village'],
  'patrol-coverage': ['month', 'buffer_m', 'roads'],
};

/** Where each analysis is answered: the monthly report lives under /api/reports, the rest under /api/analysis. */
const BASE: Partial<Record<AnalysisKind, string>> = { report: '/api/reports/monthly' };

export function paramNames(kind: AnalysisKind): string[] {
  return ORDER[kind];
}

/** `/api/analysis/{kind}?…&f=…` with the non-empty parameters in a fixed order. */
export function analysisPath(kind: AnalysisKind, params: AnalysisParams, f: 'json' | 'csv' | 'xlsx' | 'geojson' | 'shp' | 'kml' | 'pdf' | 'docx' = 'json'): string {
  const q = new URLSearchParams();
  for (const name of ORDER[kind]) {
    const v = (params[name] ?? '').trim();
    if (v) q.set(name, v);
  }
  if (f !== 'json') q.set('f', f);
  const s = q.toString().replace(/%2C/g, ',');
  return `${BASE[kind] ?? `/api/analysis/${kind}`}${s ? `?${s}` : ''}`;
}

export type ParamProblem = 'number' | 'positive' | 'max' | 'integer' | 'month' | 'monthOrder' | 'future' | 'year';

/** What is wrong with each parameter that the server would refuse (checked before asking it). */
export function checkParams(kind: AnalysisKind, p: AnalysisParams, now = new Date()): Record<string, { problem: ParamProblem; max?: number }> {
  const out: Record<string, { problem: ParamProblem; max?: number }> = {};
  const metres = (name: string, max: number) => {
    const raw = (p[name] ?? '').trim();
    if (!raw) return;
    const n = Number(raw);
    if (!Number.isFinite(n)) out[name] = { problem: 'number' };
    else if (n <= 0) out[name] = { problem: 'positive' };
    else if (n > max) out[name] = { problem: 'max', max };
  };
  const thisMonth = shanghaiMonth(now);
  const month = (name: string, required: boolean) => {
    const raw = (p[name] ?? '').trim();
    if (!raw) {
      if (required) out[name] = { problem: 'month' };
      return;
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(raw)) out[name] = { problem: 'month' };
    else if (raw > thisMonth) out[name] = { problem: 'future' };
  };
  switch (kind) {
    case 'setback':
      metres('distance_m', 1000);
      break;
    case 'corridor':
      month('month', false);
      metres('corridor_m', 500);
      break;
    case 'rewards':
      month('from', true);
      month('to', false);
      metres('corridor_m', 500);
      if (!out.from && !out.to && p.from && p.to && p.from > p.to) out.to = { problem: 'monthOrder' };
      break;
    case 'facilities': {
      metres('distance_m', 5000);
      const s = (p.suggest ?? '').trim();
      if (s && !(Number.isInteger(Number(s)) && Number(s) >= 0 && Number(s) <= 50)) out.suggest = { problem: 'integer', max: 50 };
      break;
    }
    case 'green-corridor':
      metres('distance_m', 1000);
      break;
    case 'patrol-coverage':
      month('month', false);
      metres('buffer_m', 200);
      break;
    case 'afforestation': {
      const y = (p.year ?? '').trim();
      if (y && !(Number.isInteger(Number(y)) && Number(y) >= 1950 && Number(y) <= 2100)) out.year = { problem: 'year' };
      break;
    }
    case 'ranking':
      month('month', false);
      break;
    case 'report':
      month('month', true);
      break;
  }
  return out;
}

/** Road codes from the comma list of a `roads` parameter. */
export function roadList(roads: string | undefined): string[] {
  return (roads ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

// ---- answers ----

export interface SetbackTally {
  length_km: number;
  units: number;
  violating_units: number;
  compliance_pct: number;
  violations: number;
}

export interface SetbackResult {
  parameters: {
    distance_m: number | null;
    distance_m_by_class?: Record<string, number>;
    reference: 'centerline' | 'edge';
    roads: string[] | 'all';
    village: string | null;
    statuses: string[];
    kinds: string[];
  };
  roads_without_width?: string[];
  total: SetbackTally;
  roads: (SetbackTally & { code: string; name: string })[];
  villages: { name: string | null; units: number; violating_units: number; compliance_pct: number }[];
  violations: { site_id: number; kind: string; status: string; road_code: string; distance_m: number; limit_m: number; stake: string; stake_m: number; village: string | null }[];
}

export type Grade = 'excellent' | 'qualified' | 'unqualified';

export interface LedgerRow {
  village: string | null;
  units: number;
  excellent_km: number;
  qualified_km: number;
  unqualified_km: number;
  reward_yuan: number;
  penalty_yuan: number;
  total_yuan: number;
}

export interface CorridorParameters {
  corridor_m: number;
  roads: string[] | 'all';
  grades: { qualified_max_open_days: number; excellent_max_open_points: number; qualified_max_open_points: number };
  rewards: { reward_per_km: number; penalty_per_km: number };
  time_zone: string;
}

export interface CorridorResult {
  parameters: CorridorParameters & { month: string };
  units: { road_code: string; stake: string; length_m: number; village: string | null; open_points: number; open_point_days: number; max_open_days: number; grade: Grade }[];
  ledger: LedgerRow[];
}

export interface RewardsResult {
  parameters: CorridorParameters & { from: string; to: string };
  villages: { village: string | null; months: number; excellent_km: number; unqualified_km: number; reward_yuan: number; penalty_yuan: number; total_yuan: number }[];
  months: { month: string; ledger: LedgerRow[] }[];
}

export interface CoverageRow {
  length_km: number;
  covered_km: number;
  covered_pct: number;
}

export interface FacilitiesResult {
  parameters: { distance_m: number; roads: string[] | 'all'; facilities: { kind: string[]; condition: string }; suggest: number };
  total: CoverageRow;
  roads: (CoverageRow & { code: string; name: string })[];
  villages: (CoverageRow & { name: string | null })[];
  uncovered: GeoJSON.FeatureCollection<GeoJSON.LineString | GeoJSON.MultiLineString, { road_code: string; uncovered_m: number }>;
  suggested_sites: { rank: number; lon: number; lat: number; covers_m: number }[];
}

export interface GreenCorridorResult {
  parameters: { distance_m: number; roads: string[] | 'all'; sides: string };
  roads: { code: string; name: string; length_km: number; left: { covered_km: number; covered_pct: number }; right: { covered_km: number; covered_pct: number } }[];
}

export interface AfforestationGroup {
  village: string | null;
  year: number;
  species: string | null;
  plots: number;
  planned_mu: number;
  planted_mu: number;
  area_mu: number;
  completion_pct: number;
}

export type SurvivalOutcome = 'pass' | 'gap_replant' | 'replant';

export interface AfforestationResult {
  parameters: { year: number | null; village: string | null; species: string | null; mismatch_threshold_pct: number; mu_m2: number; survival_rule: { pass_min_pct: number; replant_max_pct: number } };
  total: { plots: number; planned_mu: number; planted_mu: number; completion_pct: number };
  groups: AfforestationGroup[];
  survival: {
    checked_plots: number;
    by_outcome: Record<SurvivalOutcome, { plots: number; planted_mu: number }>;
    latest_checks: { plot_id: number; plot_code: string; village: string | null; year: number; species: string | null; planted_mu: number; checked_on: string; sample_planted: number; sample_alive: number; survival_pct: number; outcome: SurvivalOutcome }[];
  };
  area_mismatches: { id: number; plot_code: string; village: string | null; planned_mu: number; area_mu: number; difference_pct: number }[];
}

// The ranking's and the report's rows are the server's own types (type-only imports: no server code
// reaches the bundle).
export type { Part as RankingPart } from '../../../server/reports/score';
import type { Part as RankingPart, VillageScore } from '../../../server/reports/score';
/** A village's row of the ranking: its scores and figures, and the month's corridor reward. */
export type RankingVillage = VillageScore & { reward_yuan: number };

export interface RankingResult {
  parameters: { month: string; judged_until: string; weights: Record<RankingPart, number>; red_list: number; black_list: number } & Record<RankingPart, { rule: string }> & { total: string };
  red: { rank: number; village: string; total: number }[];
  black: { rank: number; village: string; total: number }[];
  villages: RankingVillage[];
}

export type { VillageMonth as ReportFigures } from '../../../server/reports/monthly';
import type { VillageMonth as ReportFigures } from '../../../server/reports/monthly';

export interface ReportResult {
  title: string;
  parameters: { month: string; village: string | null; township: string; judged_until: string };
  total: ReportFigures;
  villages: ReportFigures[];
}

export type PatrolStatus = 'covered' | 'earlier' | 'never';

export interface PatrolTally {
  units: number;
  length_km: number;
  covered_units: number;
  covered_km: number;
  covered_pct: number;
  earlier_units: number;
  never_units: number;
  never_km: number;
}

export interface PatrolUnit {
  unit_id: number;
  road_code: string;
  stake: string;
  length_m: number;
  village: string | null;
  status: PatrolStatus;
  month_share_pct: number;
  patrols: number;
  inspectors: string[];
  last_patrolled_on: string | null;
  geometry: GeoJSON.Geometry;
}

export interface PatrolCoverageResult {
  parameters: { month: string; buffer_m: number; min_share: number; roads: string[] | 'all'; time_zone: string };
  total: PatrolTally & { patrols: number };
  villages: (PatrolTally & { village: string | null })[];
  inspectors: { inspector: string; patrols: number; length_km: number }[];
  units: PatrolUnit[];
  tracks: { id: number; inspector: string; patrolled_on: string; length_m: number; geometry: GeoJSON.Geometry }[];
}

/** The coverage answer as map features: the month's tracks under the units coloured by status. */
export function patrolOverlay(r: PatrolCoverageResult): GeoJSON.FeatureCollection {
  return numbered({
    features: [
      ...r.tracks.map(({ geometry, ...t }) => ({ type: 'Feature' as const, geometry, properties: { layer: 'patrol_track', ...t } })),
      ...r.units.map(({ geometry, inspectors, ...u }) => ({ type: 'Feature' as const, geometry, properties: { layer: 'patrol_unit', ...u, inspectors: inspectors.join('、') } })),
    ],
  });
}

export interface AnalysisResults {
  setback: SetbackResult;
  corridor: CorridorResult;
  rewards: RewardsResult;
  facilities: FacilitiesResult;
  'green-corridor': GreenCorridorResult;
  afforestation: AfforestationResult;
  ranking: RankingResult;
  report: ReportResult;
  'patrol-coverage': PatrolCoverageResult;
}

/**
 * Afforestation groups summed by one key (village, year or species), completion recomputed from
 * the sums. Sums of the server's rounded 亩 are rounded to 0.1 亩 again.
 */
export function sumGroups(groups: AfforestationGroup[], by: 'village' | 'year' | 'species'): (Omit<AfforestationGroup, 'village' | 'year' | 'species'> & { key: string | number | null })[] {
  const map = new Map<string | number | null, { plots: number; planned_mu: number; planted_mu: number; area_mu: number }>();
  for (const g of groups) {
    const k = g[by];
    const t = map.get(k) ?? { plots: 0, planned_mu: 0, planted_mu: 0, area_mu: 0 };
    t.plots += g.plots;
    t.planned_mu += g.planned_mu;
    t.planted_mu += g.planted_mu;
    t.area_mu += g.area_mu;
    map.set(k, t);
  }
  const r1 = (n: number) => Math.round(n * 10) / 10;
  return [...map]
    .sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a ?? '').localeCompare(String(b ?? ''), 'zh')))
    .map(([key, t]) => ({
      key,
      plots: t.plots,
      planned_mu: r1(t.planned_mu),
      planted_mu: r1(t.planted_mu),
      area_mu: r1(t.area_mu),
      completion_pct: t.planned_mu > 0 ? r1((100 * t.planted_mu) / t.planned_mu) : 0,
    }));
}

/** Grade counts and kilometres of a corridor month (for the summary above the tables). */
export function gradeSummary(units: CorridorResult['units']): Record<Grade, { units: number; km: number }> {
  const out: Record<Grade, { units: number; km: number }> = { excellent: { units: 0, km: 0 }, qualified: { units: 0, km: 0 }, unqualified: { units: 0, km: 0 } };
  for (const u of units) {
    out[u.grade].units += 1;
    out[u.grade].km += u.length_m / 1000;
  }
  for (const g of Object.values(out)) g.km = Math.round(g.km * 1000) / 1000;
  return out;
}

/** What the map shows for an analysis: one GeoJSON collection whose features carry `layer`. */
export type OverlayLayer = 'band' | 'unit' | 'violation' | 'uncovered' | 'suggested_site' | 'patrol_unit' | 'patrol_track';

/** The facilities answer as map features (uncovered stretches and suggested sites). */
export function facilitiesOverlay(r: FacilitiesResult): GeoJSON.FeatureCollection {
  return numbered({
    type: 'FeatureCollection',
    features: [
      ...r.uncovered.features.map((f) => ({ ...f, properties: { layer: 'uncovered', ...f.properties } })),
      ...r.suggested_sites.map((s) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
        properties: { layer: 'suggested_site', rank: s.rank, covers_m: s.covers_m },
      })),
    ],
  });
}

/** Numbers the features (MapLibre reads back numeric feature ids only) and keeps their properties. */
export function numbered(fc: { type?: string; features: GeoJSON.Feature[] }): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features: fc.features.filter((f) => f.geometry).map((f, i) => ({ ...f, id: i + 1 })) };
}
