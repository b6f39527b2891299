/**
 * The browser's patrol queue (client/src/lib/patrolQueue.ts) on an in-memory Storage: points kept
 * after every fix (a reload resumes), a finished patrol kept until the server accepts it, a failed
 * upload kept for the next try, nothing sent twice.
 */
import { describe, it, expect } from 'vitest';
import { addFix, finish, flush, load, start, PATROL_STORAGE_KEY, type PendingPatrol } from '../../../client/src/lib/patrolQueue.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    raw: m,
  };
}

const T0 = Date.parse('2026-11-22T23:30:00Z'); // 07:30 on 2026-11-23 in Shanghai
let n = 0;
const ids = () => `p${++n}`;

describe('patrol queue', () => {
  it('keeps every fix in storage as it comes, so a reload resumes the recording', () => {
    const st = memoryStorage();
    start(st, '巡查员甲', T0);
    addFix(st, { lon: 117.2, lat: 32.95, accuracy: 8, t: T0 + 1000 });
    addFix(st, { lon: 117.2001, lat: 32.95, accuracy: 8, t: T0 + 5000 });
    // A "reload": a fresh read of the same storage, and start() again does not reset it.
    expect(load(st).active!.points).toHaveLength(2);
    start(st, '巡查员甲', T0 + 9000);
    addFix(st, { lon: 117.2002, lat: 32.95, t: T0 + 10_000 });
    expect(load(st).active).toMatchObject({ inspector: '巡查员甲', startedAt: T0 });
    expect(load(st).active!.points).toHaveLength(3);
  });

  it('skips inaccurate fixes, repeats and nonsense', () => {
    const st = memoryStorage();
    addFix(st, { lon: 117.2, lat: 32.95, t: T0 }); // not recording: ignored
    expect(st.raw.size).toBe(0);
    start(st, 'x', T0);
    addFix(st, { lon: 117.2, lat: 32.95, accuracy: 10, t: T0 });
    addFix(st, { lon: 117.2, lat: 32.95, accuracy: 10, t: T0 + 1 });
    addFix(st, { lon: 117.3, lat: 32.95, accuracy: 500, t: T0 + 2 });
    addFix(st, { lon: NaN, lat: 32.95, t: T0 + 3 });
    addFix(st, { lon: 117.2, lat: 95, t: T0 + 4 });
    expect(load(st).active!.points).toEqual([[117.2, 32.95, T0]]);
  });

  it('turns a finished recording into a patrol feature dated in Shanghai, or drops a too short one', () => {
    const st = memoryStorage();
    start(st, '乙', T0);
    addFix(st, { lon: 117.2, lat: 32.95, t: T0 + 60_000 });
    expect(finish(st, T0 + 120_000, ids)).toMatchObject({ tooShort: true });
    expect(load(st)).toEqual({ active: null, pending: [] });
    expect(st.raw.has(PATROL_STORAGE_KEY)).toBe(false);
    start(st, '乙', T0);
    addFix(st, { lon: 117.2, lat: 32.95, t: T0 + 60_000 });
    addFix(st, { lon: 117.201, lat: 32.951, t: T0 + 120_000 });
    const { patrol } = finish(st, T0 + 180_000, ids);
    expect(patrol!.feature).toEqual({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [[117.2, 32.95], [117.201, 32.951]] },
      properties: { inspector: '乙', patrolled_on: '2026-11-23', started_at: '2026-11-23T07:30:00+08:00', ended_at: '2026-11-23T07:33:00+08:00' },
    });
    expect(load(st).active).toBeNull();
    expect(load(st).pending).toHaveLength(1);
  });

  it('keeps a patrol until the server accepts it, and sends each one once', async () => {
    const st = memoryStorage();
    for (const who of ['a', 'b']) {
      start(st, who, T0);
      addFix(st, { lon: 117.2, lat: 32.95, t: T0 });
      addFix(st, { lon: 117.21, lat: 32.95, t: T0 + 1 });
      finish(st, T0 + 2, ids);
    }
    const sent: string[] = [];
    // Offline: the first upload fails; both stay.
    const offline = await flush(st, async () => {
      throw new Error('network');
    });
    expect(offline).toMatchObject({ sent: 0, left: 2 });
    expect(load(st).pending).toHaveLength(2);
    // The first is accepted, the second fails: only the second stays.
    const half = await flush(st, async (p: PendingPatrol) => {
      if (p.feature.properties.inspector === 'b') throw new Error('500');
      sent.push(p.feature.properties.inspector);
    });
    expect(half).toMatchObject({ sent: 1, left: 1 });
    expect(load(st).pending.map((p) => p.feature.properties.inspector)).toEqual(['b']);
    // Back online: the rest goes, nothing twice, and the storage is empty.
    const done = await flush(st, async (p) => void sent.push(p.feature.properties.inspector));
    expect(done).toEqual({ sent: 1, left: 0 });
    expect(sent).toEqual(['a', 'b']);
    expect(st.raw.size).toBe(0);
  });

  it('survives a damaged storage entry', () => {
    const st = memoryStorage();
    st.setItem(PATROL_STORAGE_KEY, '{not json');
    expect(load(st)).toEqual({ active: null, pending: [] });
  });
});
