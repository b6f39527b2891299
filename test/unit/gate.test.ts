import { describe, it, expect } from 'vitest';
import { Gate } from '../../server/analysis/gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('analysis gate', () => {
  it('lets `concurrency` run at once and the rest in arrival order', async () => {
    const gate = new Gate(2);
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string, release: Promise<void>) => (async () => {
      const done = await gate.acquire();
      running++;
      most = Math.max(most, running);
      order.push(name);
      await release;
      running--;
      done();
    })();
    const opens: (() => void)[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(n, new Promise<void>((r) => opens.push(r))));
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(gate.queued).toBe(2);
    opens[1]();
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    opens[0]();
    opens[2]();
    opens[3]();
    await Promise.all(jobs);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
    expect(gate.queued).toBe(0);
  });

  it('a place given back twice is given back once', async () => {
    const gate = new Gate(1);
    const release = await gate.acquire();
    release();
    release();
    const a = await gate.acquire();
    let second = false;
    const b = gate.acquire().then((r) => { second = true; return r; });
    await tick();
    expect(second).toBe(false);
    a();
    (await b)();
    expect(second).toBe(true);
  });
});
