/**
 * Tiles kept in memory until a write changes their collection (never longer): low-zoom tiles of
 * a county take 100 ms or more to build, and a map asks for the same ones again and again.
 *
 * Freshness: every committed write notifies `collection_changed` (migration 003); the server's
 * own write routes also call invalidate() before they answer, so the writer's next request is
 * fresh even before the notification arrives. A tile rendered while a write commits is stored
 * only if its collection's generation did not move meanwhile. If the notification connection
 * drops, the cache empties and stays off until it is back.
 */
import type { Db } from '../db/index.js';

export class TileCache {
  private readonly entries = new Map<string, Uint8Array | null>();
  private readonly generations = new Map<string, number>();
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
      onMessage: (table) => this.invalidate(table),
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

  /** Stores a tile rendered at `generation`, unless a write to its collection came in since. */
  set(collection: string, generation: number, key: string, tile: Uint8Array | undefined): void {
    if (!this.enabled || generation !== this.generation(collection)) return;
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

  invalidate(collection: string): void {
    this.generations.set(collection, (this.generations.get(collection) ?? 0) + 1);
    const prefix = `${collection}|`;
    for (const [k, v] of this.entries) {
      if (!k.startsWith(prefix)) continue;
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
