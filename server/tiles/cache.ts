/**
 * Tiles kept in memory until a write changes them (never longer): low-zoom tiles of a county
 * take 100 ms or more to build, and a map asks for the same ones again and again.
 *
 * Freshness: every committed write notifies `collection_changed` with the extent of the rows it
 * touched (migrations 003 and 011); the server's own write routes also call invalidate() before
 * they answer, so the writer's next request is fresh even before the notification arrives. A
 * write drops the cached tiles of its collection that its extent meets (grown by the tiles'
 * 64-unit buffer), or all of them when the extent is unknown (TRUNCATE). A tile rendered while a
 * write commits is stored only if no write since its render began met it. If the notification
 * connection drops, the cache empties and stays off until it is back.
 */
import type { Db } from '../db/index.js';

/** [west, south, east, north] in degrees. */
export type Extent = [number, number, number, number];

/** How many recent writes per collection are remembered to judge renders that overlapped them. */
const CHANGE_LOG = 256;

/** The tile of a cache key `collection|z/x/y|filter` in degrees, grown by its 64/4096 buffer. */
export function tileExtent(key: string): Extent | undefined {
  const m = /^[^|]*\|(\d+)\/(\d+)\/(\d+)\|/.exec(key);
  if (!m) return undefined;
  const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = 2 ** z;
  const b = 64 / 4096;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - b), lat(y + 1 + b), lon(x + 1 + b), lat(y - b)];
}

const meets = (a: Extent, b: Extent) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Parses a `collection_changed` payload: "table" or "table west south east north". */
export function parseChange(payload: string): { collection: string; extent?: Extent } {
  const [collection, ...rest] = payload.trim().split(/\s+/);
  const n = rest.map(Number);
  return n.length === 4 && n.every(Number.isFinite) ? { collection, extent: n as Extent } : { collection };
}

export class TileCache {
  private readonly entries = new Map<string, Uint8Array | null>();
  private readonly generations = new Map<string, number>();
  /** Per collection, the latest writes: the generation each made and where (none: everywhere). */
  private readonly changes = new Map<string, { generation: number; extent?: Extent }[]>();
  private bytes = 0;
  private enabled: boolean;
  /** Bumped by clear(), so that a tile rendered before it is never stored after it. */
  private epoch = 0;

  constructor(private readonly maxBytes: number) {
    this.enabled = maxBytes > 0;
  }

  /** Listens for changes on the database; returns the function that stops listening. */
  async attach(db: Db): Promise<() => Promise<void>> {
    if (this.maxBytes <= 0) return async () => {};
    return db.listen('collection_changed', {
      onMessage: (payload) => {
        const { collection, extent } = parseChange(payload);
        this.invalidate(collection, extent);
      },
      onLost: () => {
        this.enabled = false;
        this.clear();
      },
      onRestored: () => {
        this.clear();
        this.enabled = this.maxBytes > 0;
      },
    });
  }

  generation(collection: string): number {
    return this.epoch * 1e9 + (this.generations.get(collection) ?? 0);
  }

  /** undefined: not cached; null: cached as an empty tile. */
  get(key: string): Uint8Array | null | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    // Map order is insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Did a write since `generation` (a render's start) meet this tile? Unknown counts as yes. */
  private changedSince(collection: string, generation: number, key: string): boolean {
    if (generation === this.generation(collection)) return false;
    if (Math.floor(generation / 1e9) !== this.epoch) return true;
    const since = generation % 1e9;
    const log = this.changes.get(collection) ?? [];
    if (!log.length || log[0].generation > since + 1) return true; // older than what is remembered
    const tile = tileExtent(key);
    return log.some((c) => c.generation > since && (!c.extent || !tile || meets(c.extent, tile)));
  }

  /** Stores a tile rendered from `generation` on, unless a write since then met it. */
  set(collection: string, generation: number, key: string, tile: Uint8Array | undefined): void {
    if (!this.enabled || this.changedSince(collection, generation, key)) return;
    const size = (tile?.byteLength ?? 0) + key.length + 64;
    if (size > this.maxBytes / 8) return; // one huge tile must not empty the cache
    this.entries.set(key, tile ?? null);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= (v?.byteLength ?? 0) + k.length + 64;
    }
  }

  /** A write to `collection` within `extent` (degrees; none: anywhere) drops the tiles it meets. */
  invalidate(collection: string, extent?: Extent): void {
    const generation = (this.generations.get(collection) ?? 0) + 1;
    this.generations.set(collection, generation);
    const log = this.changes.get(collection) ?? this.changes.set(collection, []).get(collection)!;
    log.push({ generation, extent });
    if (log.length > CHANGE_LOG) log.shift();
    const prefix = `${collection}|`;
    for (const [k, v] of this.entries) {
      if (!k.startsWith(prefix)) continue;
      const tile = extent && tileExtent(k);
      if (extent && tile && !meets(extent, tile)) continue;
      this.entries.delete(k);
      this.bytes -= (v?.byteLength ?? 0) + k.length + 64;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.epoch++;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
