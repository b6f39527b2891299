import { describe, it, expect, vi } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { VacuumLater } from '../../server/db/vacuum-later.js';
import type { Queryable } from '../../server/db/index.js';

/** A database whose queries wait until released, recording what they were. */
function slowDb() {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  let fail = false;
  const db = {
    query: (text: string) => {
      sent.push(text);
      return new Promise((resolve, reject) => waiting.push(() => (fail ? reject(new Error('connection terminated')) : resolve({ rows: [], rowCount: 0 }))));
    },
  } as unknown as Queryable;
  const releaseAll = async () => {
    // Release until nothing is waiting (a release can schedule the next run).
    for (let k = 0; k < 10; k++) {
      await new Promise((r) => setTimeout(r, 0));
      for (const w of waiting.splice(0)) w();
    }
  };
  return { db, sent, releaseAll, failNext: () => (fail = true) };
}

const log = () => ({ warn: vi.fn() }) as unknown as FastifyBaseLogger & { warn: ReturnType<typeof vi.fn> };

describe('VacuumLater', () => {
  it('runs one VACUUM (ANALYZE) per table at a time, and once more for writes made while it ran', async () => {
    const { db, sent, releaseAll } = slowDb();
    const later = new VacuumLater(db, log());
    later.soon('garbage_points');
    later.soon('garbage_points');
    later.soon('garbage_points');
    later.soon('demolition_sites');
    expect(sent).toEqual(['VACUUM (ANALYZE) garbage_points', 'VACUUM (ANALYZE) demolition_sites']);
    let settled = false;
    const done = later.settled().then(() => (settled = true));
    await releaseAll();
    await done;
    expect(settled).toBe(true);
    // The two later requests for garbage_points, made while its first run went on, became one more run.
    expect(sent).toEqual(['VACUUM (ANALYZE) garbage_points', 'VACUUM (ANALYZE) demolition_sites', 'VACUUM (ANALYZE) garbage_points']);
  });

  it('settled() waits for the run in flight', async () => {
    const { db, releaseAll } = slowDb();
    const later = new VacuumLater(db, log());
    later.soon('roads');
    let settled = false;
    const done = later.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    await releaseAll();
    await done;
    expect(settled).toBe(true);
  });

  it('logs a failed run and goes on (statistics are an optimisation, never a request error)', async () => {
    const { db, sent, releaseAll, failNext } = slowDb();
    const logger = log();
    const later = new VacuumLater(db, logger);
    failNext();
    later.soon('garbage_points');
    await releaseAll();
    await later.settled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    later.soon('garbage_points');
    expect(sent).toHaveLength(2);
  });
});
