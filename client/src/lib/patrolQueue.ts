/**
 * The patrol being recorded in the browser and the finished patrols waiting to be uploaded, kept
 * in localStorage (any Storage) after every change: a reload, a closed tab or a lost connection
 * loses no point. A finished patrol leaves the queue only once the server has accepted it; one
 * that failed stays and is sent again. Pure: the storage, the clock and the sender are passed in.
 */
import { shanghaiToday } from '../../../server/collections/properties';

export const PATROL_STORAGE_KEY = 'remap.patrol.v1';

/** A position as the Geolocation API gives it: lon/lat degrees, accuracy in metres, time in ms. */
export interface Fix {
  lon: number;
  lat: number;
  accuracy?: number;
  t: number;
}

export interface PendingPatrol {
  /** Local id, to take exactly this patrol off the queue once it is accepted. */
  id: string;
  feature: {
    type: 'Feature';
    geometry: { type: 'LineString'; coordinates: [number, number][] };
    properties: { inspector: string; patrolled_on: string; started_at: string; ended_at: string };
  };
}

export interface PatrolState {
  active: { inspector: string; startedAt: number; points: [number, number, number][] } | null;
  pending: PendingPatrol[];
}

/** Fixes less accurate than this are left out (a phone indoors can be hundreds of metres off). */
export const MAX_ACCURACY_M = 50;

const EMPTY: PatrolState = { active: null, pending: [] };

export function load(storage: Pick<Storage, 'getItem'>): PatrolState {
  try {
    const raw = storage.getItem(PATROL_STORAGE_KEY);
    if (!raw) return EMPTY;
    const s = JSON.parse(raw) as PatrolState;
    return { active: s.active ?? null, pending: Array.isArray(s.pending) ? s.pending : [] };
  } catch {
    return EMPTY;
  }
}

function save(storage: Pick<Storage, 'setItem' | 'removeItem'>, s: PatrolState): PatrolState {
  if (!s.active && !s.pending.length) storage.removeItem(PATROL_STORAGE_KEY);
  else storage.setItem(PATROL_STORAGE_KEY, JSON.stringify(s));
  return s;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Starts recording (a patrol already being recorded, e.g. before a reload, goes on). */
export function start(storage: Store, inspector: string, now: number): PatrolState {
  const s = load(storage);
  if (s.active) return s;
  return save(storage, { ...s, active: { inspector, startedAt: now, points: [] } });
}

/** Appends a fix to the patrol being recorded; inaccurate fixes and repeats of the last point are skipped. */
export function addFix(storage: Store, fix: Fix): PatrolState {
  const s = load(storage);
  if (!s.active) return s;
  if (!Number.isFinite(fix.lon) || !Number.isFinite(fix.lat) || Math.abs(fix.lat) > 90 || Math.abs(fix.lon) > 180) return s;
  if (fix.accuracy !== undefined && fix.accuracy > MAX_ACCURACY_M) return s;
  const lon = Math.round(fix.lon * 1e7) / 1e7;
  const lat = Math.round(fix.lat * 1e7) / 1e7;
  const last = s.active.points[s.active.points.length - 1];
  if (last && last[0] === lon && last[1] === lat) return s;
  return save(storage, { ...s, active: { ...s.active, points: [...s.active.points, [lon, lat, fix.t]] } });
}

/** RFC 3339 with +08:00. */
function shanghaiTime(t: number): string {
  return `${new Date(t + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * Ends the recording: with at least two points it becomes a pending patrol (returned), with fewer
 * it is dropped ('too_short'). Either way nothing is being recorded afterwards.
 */
export function finish(storage: Store, now: number, makeId: () => string): { state: PatrolState; patrol?: PendingPatrol; tooShort?: boolean } {
  const s = load(storage);
  if (!s.active) return { state: s };
  const { inspector, startedAt, points } = s.active;
  if (points.length < 2) return { state: save(storage, { ...s, active: null }), tooShort: true };
  const patrol: PendingPatrol = {
    id: makeId(),
    feature: {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: points.map(([lon, lat]) => [lon, lat]) },
      properties: {
        inspector,
        patrolled_on: shanghaiToday(new Date(startedAt)),
        started_at: shanghaiTime(Math.min(startedAt, points[0][2])),
        ended_at: shanghaiTime(Math.max(now, points[points.length - 1][2])),
      },
    },
  };
  return { state: save(storage, { active: null, pending: [...s.pending, patrol] }), patrol };
}

/**
 * Sends every pending patrol in order; each accepted one leaves the queue at once (so a failure
 * half-way keeps only what was not accepted). Stops at the first failure and reports it.
 */
export async function flush(storage: Store, send: (p: PendingPatrol) => Promise<void>): Promise<{ sent: number; left: number; error?: unknown }> {
  let sent = 0;
  for (const p of load(storage).pending) {
    try {
      await send(p);
    } catch (error) {
      return { sent, left: load(storage).pending.length, error };
    }
    const s = load(storage);
    save(storage, { ...s, pending: s.pending.filter((x) => x.id !== p.id) });
    sent++;
  }
  return { sent, left: load(storage).pending.length };
}
