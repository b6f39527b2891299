/**
 * Every metre query must reach its candidates through a spatial index: a geography ST_DWithin
 * on a plain geometry index scans everything (DESIGN.md measured 930 s against 0.6 s for 20k
 * points). This test loads large tables, finds every SQL function of the migrations that measures
 * in metres (casts to geography), explains its body with sample arguments, and fails when it reads
 * a large table whole. A new metre function without a sample below fails too.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { testDb, resetData } from '../helpers/db.js';
import { load } from '../helpers/load.js';
import { roads as countyRoads, demolitionSites, garbagePoints } from '../../scripts/bench/county.js';

let db: Db;
const LARGE = 1000;

/** Sample arguments (SQL literals) for each metre function; road ids are filled in at run time. */
const SAMPLES: Record<string, (roadIds: string) => string[]> = {
  setback_violations: (ids) => [ids, 'NULL', `'{"township": 10, "county": 10, "national": 10, "provincial": 10, "village": 10}'::jsonb`, 'false', "ARRAY['identified','marked','notice_issued']", "ARRAY['pig_pen','dry_toilet','shed','illegal_building']"],
  corridor_points: (ids) => [ids, "'2026-10-01T00:00:00+08'::timestamptz", "'2026-11-01T00:00:00+08'::timestamptz", '30'],
  facility_coverage: (ids) => [ids, '500'],
  green_corridor: (ids) => [ids, '50'],
  assign_unit_villages: () => ['NULL', 'NULL'],
  finding_hotspots: () => ["'2026-08-01T00:00:00+08'::timestamptz", "'2026-11-01T00:00:00+08'::timestamptz", '20', '3', 'NULL'],
};

/** PL/pgSQL functions that measure in metres but search nothing (their statements cannot be explained alone). */
const REVIEWED_PLPGSQL: Record<string, string> = {
  rebuild_road_units: 'measures one road by id; its unit-to-village search is assign_unit_villages',
  findings_derive: 'the trigger of one finding; its road and repeat searches are explained in the test below',
};

/** Functions of our own (not PostGIS's) whose body casts to geography. */
async function metreFunctions(): Promise<{ name: string; language: string; src: string; argNames: string[]; argTypes: string[] }[]> {
  const { rows } = await db.query<{ name: string; language: string; src: string; names: string[] | null; modes: string[] | null; types: string }>(`
    SELECT p.proname AS name, l.lanname AS language, p.prosrc AS src, p.proargnames AS names, p.proargmodes::text[] AS modes,
           pg_get_function_identity_arguments(p.oid) AS types
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE n.nspname = current_schema() AND p.prosrc ILIKE '%::geography%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`);
  return rows.map((r) => {
    const inputs = (r.names ?? []).filter((_, i) => !r.modes || r.modes[i] === 'i' || r.modes[i] === 'b');
    const argTypes = r.types ? r.types.split(/,\s*(?=[a-z_]+ )/).map((a) => a.replace(/^\w+\s+/, '')) : [];
    return { name: r.name, language: r.language, src: r.src, argNames: inputs, argTypes };
  });
}

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] }
/**
 * Relations read whole: a Seq Scan, or an index scan with no index condition (the planner walks
 * the primary key to get rows in id order; that reads every row just the same).
 */
function fullScans(node: PlanNode, out: string[] = []): string[] {
  const type = node['Node Type'];
  const whole = type === 'Seq Scan' || ((type === 'Index Scan' || type === 'Index Only Scan') && !node['Index Cond']);
  if (whole && node['Relation Name']) out.push(node['Relation Name']);
  for (const child of node.Plans ?? []) fullScans(child, out);
  return out;
}

beforeAll(async () => {
  db = await testDb();
  await resetData(db);
  const roadList = countyRoads(150, 7);
  await load(db, 'roads', roadList);
  await load(db, 'demolition_sites', demolitionSites(roadList, 20_000, 8));
  await load(db, 'garbage_points', garbagePoints(roadList, 30_000, 9));
  await load(db, 'sanitation_facilities', demolitionSites(roadList, 3_000, 10).map((f) => ({ ...f, properties: { kind: 'bin', condition: 'good' } })));
  await db.exec('ANALYZE');
}, 600_000);

describe('metre queries use a spatial index', () => {
  it('every metre function has a sample, and none scans a large table sequentially', async () => {
    const all = await metreFunctions();
    expect(all.filter((f) => f.language !== 'sql').map((f) => f.name).sort()).toEqual(Object.keys(REVIEWED_PLPGSQL).sort());
    const fns = all.filter((f) => f.language === 'sql');
    expect(fns.map((f) => f.name).sort()).toEqual(Object.keys(SAMPLES).sort());
    const { rows: sizes } = await db.query<{ relname: string; n: number }>(
      "SELECT relname, reltuples::float8 AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace");
    const large = new Set(sizes.filter((s) => s.n > LARGE).map((s) => s.relname));
    expect(large).toContain('demolition_sites');
    expect(large).toContain('garbage_points');
    // a few roads, as a planner would pick them
    const { rows } = await db.query<{ ids: string }>("SELECT 'ARRAY[' || string_agg(id::text, ',') || ']::bigint[]' AS ids FROM (SELECT id FROM roads ORDER BY id LIMIT 3) r");
    for (const fn of fns) {
      // The body with its named parameters turned into $n, prepared and explained with the sample.
      let body = fn.src;
      fn.argNames.forEach((name, i) => {
        body = body.replace(new RegExp(`\\b${name}\\b`, 'g'), `$${i + 1}`);
      });
      const stmt = `explain_${fn.name}`;
      await db.exec(`PREPARE ${stmt}(${fn.argTypes.join(', ')}) AS ${body}`);
      const plan = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE ${stmt}(${SAMPLES[fn.name](rows[0].ids).join(', ')})`);
      await db.exec(`DEALLOCATE ${stmt}`);
      const raw = plan.rows[0]['QUERY PLAN'];
      const tree = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan as PlanNode;
      const scanned = fullScans(tree).filter((t) => large.has(t));
      expect(scanned, `${fn.name} reads all of ${scanned.join(', ')}`).toEqual([]);
    }
  });
});

describe('a finding\'s derived values use spatial indexes', () => {
  it('the repeat search (same category within 20 m and 90 days) reads no large table whole', async () => {
    // 20,000 findings loaded with the trigger off (what it computes is not the point here).
    await db.exec('ALTER TABLE findings DISABLE TRIGGER findings_derive');
    try {
      await db.exec(`INSERT INTO findings (category, found_at, geom)
        SELECT (ARRAY['roadside_garbage','straw_pile','illegal_ad'])[1 + i % 3], now() - (i % 300) * interval '1 day',
               ST_SetSRID(ST_MakePoint(117 + (i % 200) * 0.002, 32.8 + (i / 200) * 0.002), 4326)
        FROM generate_series(1, 20000) i`);
      await db.exec('ANALYZE findings');
      const search = (explain: string) => db.query<{ 'QUERY PLAN': unknown }>(`${explain} SELECT f.id FROM findings f
        WHERE f.category = $1 AND f.id <> $2 AND f.found_at < $3::timestamptz AND f.found_at >= $3::timestamptz - interval '90 days'
          AND ST_DWithin(f.geom::geography, ST_SetSRID(ST_MakePoint($4, $5), 4326)::geography, 20)
        ORDER BY f.found_at DESC, f.id DESC LIMIT 1`.replace(/\$(\d)/g, (_, n) => ["'straw_pile'", '0', 'now()', '117.1', '32.9'][Number(n) - 1]));
      const raw = (await search('EXPLAIN (FORMAT JSON)')).rows[0]['QUERY PLAN'];
      const tree = (typeof raw === 'string' ? JSON.parse(raw) : raw as [{ Plan: PlanNode }])[0].Plan as PlanNode;
      expect(fullScans(tree)).not.toContain('findings');
      const road = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT r.code FROM roads r JOIN road_lines rl ON rl.road_id = r.id
        WHERE ST_DWithin(r.geom::geography, ST_SetSRID(ST_MakePoint(117.1, 32.9), 4326)::geography, 30)
        ORDER BY ST_Distance(r.geom::geography, ST_SetSRID(ST_MakePoint(117.1, 32.9), 4326)::geography), r.id LIMIT 1`);
      const rawRoad = road.rows[0]['QUERY PLAN'];
      const roadTree = (typeof rawRoad === 'string' ? JSON.parse(rawRoad) : rawRoad as [{ Plan: PlanNode }])[0].Plan as PlanNode;
      expect(fullScans(roadTree)).not.toContain('roads');
    } finally {
      await db.exec('TRUNCATE findings RESTART IDENTITY CASCADE');
      await db.exec('ALTER TABLE findings ENABLE TRIGGER findings_derive');
    }
  });
});
