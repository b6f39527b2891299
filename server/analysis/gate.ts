/**
 * Heavy analyses and printed reports take a core each for 0.2–2 s. With as many of them running
 * as requests arrive, a two-core server leaves map tiles waiting behind them (bench:load: tile
 * p99 at 100 ms with 10 % analyses). The gate lets `concurrency` of them run at once and queues
 * the rest in arrival order, so interactive requests keep a core. Queued requests wait; none is
 * refused.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {}

  /** Waits for a place; the returned function gives it back (calling it again does nothing). */
  async acquire(): Promise<() => void> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      // Hand the place to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/** Every route of this plugin runs through the gate: a place from preHandler until the reply is sent. */
export function gateRoutes(fastify: FastifyInstance, gate: Gate): void {
  const held = new WeakMap<FastifyRequest, () => void>();
  fastify.addHook('preHandler', async (req) => {
    held.set(req, await gate.acquire());
  });
  const release = async (req: FastifyRequest) => held.get(req)?.();
  fastify.addHook('onResponse', release);
  fastify.addHook('onRequestAbort', release);
}
