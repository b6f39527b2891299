/**
 * The rules planners set (migration 004 holds the defaults). Each key has a schema; a write is
 * checked against it and refused with a message naming what to fix.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Queryable } from '../db/index.js';
import { badRequest, notFound } from '../errors.js';

const Metres = Type.Number({ minimum: 0, maximum: 1000 });
const Count = Type.Integer({ minimum: 0, maximum: 100000 });
const Yuan = Type.Number({ minimum: 0, maximum: 1_000_000 });
const Days = Type.Integer({ minimum: 1, maximum: 365 });
const Weight = Type.Number({ minimum: 0, maximum: 1 });

/** Finding categories (巡查问题类别), as the findings table's CHECK constraint lists them. */
export const FINDING_CATEGORIES = ['roadside_garbage', 'construction_waste', 'straw_pile', 'overflowing_pool',
  'floating_debris', 'illegal_ad', 'damaged_bin', 'prohibited_structure', 'other'] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

export const SETTINGS = {
  setback_m_by_class: Type.Object({ national: Metres, provincial: Metres, county: Metres, township: Metres, village: Metres }, { additionalProperties: false }),
  corridor_grades: Type.Object({
    excellent_max_open_points: Count,
    qualified_max_open_points: Count,
    qualified_max_open_days: Type.Number({ minimum: 0, maximum: 366 }),
  }, { additionalProperties: false }),
  corridor_rewards: Type.Object({ reward_per_km: Yuan, penalty_per_km: Yuan }, { additionalProperties: false }),
  patrol_coverage: Type.Object({
    buffer_m: Type.Number({ minimum: 1, maximum: 200 }),
    min_share: Type.Number({ minimum: 0.1, maximum: 1 }),
  }, { additionalProperties: false }),
  notice_deadline_days: Type.Object(Object.fromEntries(FINDING_CATEGORIES.map((c) => [c, Days])) as Record<FindingCategory, typeof Days>, { additionalProperties: false }),
  recheck_geofence_m: Type.Number({ minimum: 1, maximum: 1000 }),
  ranking: Type.Object({
    weights: Type.Object({ corridor: Weight, notices: Weight, repeats: Weight, setback: Weight }, { additionalProperties: false }),
    red_list: Type.Integer({ minimum: 0, maximum: 100 }),
    black_list: Type.Integer({ minimum: 0, maximum: 100 }),
  }, { additionalProperties: false }),
  // Anonymous users may read the map (like PUBLIC_READ=1); only admin may switch it (auth/policy.ts).
  public_read: Type.Boolean(),
} satisfies Record<string, TSchema>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = Static<(typeof SETTINGS)[K]>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export async function getSetting<K extends SettingKey>(db: Queryable, key: K): Promise<SettingValue<K>> {
  const { rows } = await db.query<{ value: SettingValue<K> }>('SELECT value FROM settings WHERE key = $1', [key]);
  if (!rows.length) throw new Error(`setting ${key} is missing from the database`);
  return rows[0].value;
}

export async function allSettings(db: Queryable): Promise<Record<string, unknown>> {
  const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings ORDER BY key');
  return Object.fromEntries(rows.filter((r) => isSettingKey(r.key)).map((r) => [r.key, r.value]));
}

export async function putSetting(db: Queryable, key: string, value: unknown): Promise<unknown> {
  if (!isSettingKey(key)) throw notFound(`no setting ${JSON.stringify(key.slice(0, 60))}; the settings are ${Object.keys(SETTINGS).join(', ')}`);
  const schema = SETTINGS[key];
  if (!Value.Check(schema, value)) {
    const details = settingErrors(key, schema, value);
    throw badRequest(`${key} is not valid: ${details.map((d) => d.reason).join('; ')}`, details);
  }
  if (key === 'corridor_grades') {
    const g = value as SettingValue<'corridor_grades'>;
    if (g.qualified_max_open_points < g.excellent_max_open_points) {
      throw badRequest('corridor_grades: qualified_max_open_points must be at least excellent_max_open_points');
    }
  }
  await db.query('UPDATE settings SET value = $2::jsonb, updated_at = now() WHERE key = $1', [key, JSON.stringify(value)]);
  return value;
}

/** What to fix, one line per property: unknown and missing keys by name, bad values by their rule. */
function settingErrors(key: string, schema: TSchema, value: unknown): { property: string; reason: string }[] {
  if ((schema as { type?: string }).type === 'boolean') return [{ property: key, reason: 'must be true or false' }];
  const expected = Object.keys((schema as { properties?: object }).properties ?? {});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ property: key, reason: `must be a JSON object with the keys ${expected.join(', ')}` }];
  }
  const out: { property: string; reason: string }[] = [];
  for (const k of Object.keys(value)) {
    if (!expected.includes(k)) out.push({ property: k, reason: `${k} is not a key of ${key}; the keys are ${expected.join(', ')}` });
  }
  for (const k of expected) {
    if (!(k in value)) out.push({ property: k, reason: `${k} is missing` });
  }
  for (const e of Value.Errors(schema, value)) {
    const property = e.instancePath.replace(/^\//, '');
    if (property && expected.includes(property) && property in value) out.push({ property, reason: `${property} ${e.message}` });
  }
  return out.length ? out : [{ property: key, reason: `must match ${JSON.stringify(schema)}` }];
}
