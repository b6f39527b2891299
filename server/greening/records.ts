/**
 * Greening records of an afforestation plot: planting events and survival checks. The checks of
 * their fields (each problem named, as the item routes do), and what a record does to its plot.
 */
import type { FieldError } from '../collections/properties.js';
import { shanghaiToday } from '../collections/properties.js';
import type { SurvivalOutcome } from './survival.js';

export interface PlantingInput { planted_on: string; species: string | null; trees: number | null; planted_mu: number; note: string | null }
export interface CheckInput { checked_on: string; sample_planted: number; sample_alive: number; note: string | null }

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

type Body = Record<string, unknown>;

function asObject(body: unknown, errors: FieldError[], example: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    errors.push({ reason: `the body must be a JSON object such as ${example}` });
    return {};
  }
  return body as Body;
}

function unknownKeys(b: Body, known: string[], errors: FieldError[]): void {
  for (const k of Object.keys(b)) {
    if (!known.includes(k)) errors.push({ property: k.slice(0, 100), reason: `unknown field ${k.slice(0, 100)}; use ${known.join(', ')}` });
  }
}

function day(b: Body, name: string, today: string, errors: FieldError[]): string {
  const v = b[name];
  if (v === undefined || v === null || v === '') return today;
  if (!isDate(v)) errors.push({ property: name, reason: `${name} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(v).slice(0, 40)}` });
  else if (v > today) errors.push({ property: name, reason: `${name} ${v} is after today (${today}, Asia/Shanghai); record what was done` });
  return v as string;
}

function text(b: Body, name: string, max: number, errors: FieldError[]): string | null {
  const v = b[name];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') errors.push({ property: name, reason: `${name} must be text` });
  else if (v.length > max) errors.push({ property: name, reason: `${name} is ${v.length} characters long; at most ${max} are allowed` });
  return typeof v === 'string' ? v : null;
}

function whole(b: Body, name: string, min: number, max: number, required: boolean, errors: FieldError[]): number | null {
  const v = b[name];
  if (v === undefined || v === null || v === '') {
    if (required) errors.push({ property: name, reason: `${name} is required: a whole number from ${min} to ${max}` });
    return null;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push({ property: name, reason: `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v).slice(0, 40)}` });
    return null;
  }
  return v;
}

export function checkPlanting(body: unknown, now = new Date()): { value: PlantingInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const b = asObject(body, errors, '{"planted_on": "2026-03-12", "species": "女贞", "trees": 1200, "planted_mu": 12.5}');
  unknownKeys(b, ['planted_on', 'species', 'trees', 'planted_mu', 'note'], errors);
  const today = shanghaiToday(now);
  const planted_on = day(b, 'planted_on', today, errors);
  const species = text(b, 'species', 200, errors);
  const trees = whole(b, 'trees', 0, 10_000_000, false, errors);
  const mu = b.planted_mu;
  if (mu === undefined || mu === null) errors.push({ property: 'planted_mu', reason: 'planted_mu is required: the 亩 planted, more than 0' });
  else if (typeof mu !== 'number' || !Number.isFinite(mu) || mu <= 0 || mu > 1_000_000) {
    errors.push({ property: 'planted_mu', reason: `planted_mu must be a number of 亩 more than 0 and at most 1000000, got ${JSON.stringify(mu).slice(0, 40)}` });
  }
  const note = text(b, 'note', 2000, errors);
  return { value: { planted_on, species, trees, planted_mu: mu as number, note }, errors };
}

export function checkSurvival(body: unknown, now = new Date()): { value: CheckInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const b = asObject(body, errors, '{"checked_on": "2026-10-08", "sample_planted": 100, "sample_alive": 88}');
  unknownKeys(b, ['checked_on', 'sample_planted', 'sample_alive', 'note'], errors);
  const checked_on = day(b, 'checked_on', shanghaiToday(now), errors);
  const planted = whole(b, 'sample_planted', 1, 10_000_000, true, errors);
  const alive = whole(b, 'sample_alive', 0, 10_000_000, true, errors);
  if (planted !== null && alive !== null && alive > planted) {
    errors.push({ property: 'sample_alive', reason: `sample_alive (${alive}) is more than sample_planted (${planted}); count the live trees among those planted in the sample` });
  }
  const note = text(b, 'note', 2000, errors);
  return { value: { checked_on, sample_planted: planted ?? 0, sample_alive: alive ?? 0, note }, errors };
}

export type PlotStatus = 'planned' | 'in_progress' | 'planted' | 'replant_needed';

/**
 * A planting adds its 亩 to the plot's planted_mu, up to the planned 亩 (more is replanting of
 * what was planted before, e.g. after a failed survival check); the plot is planted once the
 * planned 亩 are reached, in progress before.
 */
export function afterPlanting(plot: { planned_mu: number; planted_mu: number }, mu: number): { planted_mu: number; replanted_mu: number; status: PlotStatus } {
  const sum = (plot.planted_mu ?? 0) + mu;
  const cap = Math.max(plot.planned_mu, plot.planted_mu ?? 0);
  const planted = Math.round(Math.min(sum, cap) * 1e6) / 1e6;
  return { planted_mu: planted, replanted_mu: Math.round((sum - planted) * 1e6) / 1e6, status: planted >= plot.planned_mu ? 'planted' : 'in_progress' };
}

/**
 * A plot's status after its latest survival check: a gap or full replant is needed, or, after a
 * pass, planted (or in progress while area is still missing).
 */
export function afterCheck(plot: { planned_mu: number; planted_mu: number }, outcome: SurvivalOutcome): PlotStatus {
  if (outcome !== 'pass') return 'replant_needed';
  return (plot.planted_mu ?? 0) >= plot.planned_mu ? 'planted' : 'in_progress';
}
