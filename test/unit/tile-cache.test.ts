import { describe, it, expect } from 'vitest';
import { TileCache, parseChange, tileExtent, type Extent } from '../../server/tiles/cache.js';

const bytes = (n: number) => new Uint8Array(n);

describe('TileCache', () => {
  it('keeps tiles until their collection changes, empty tiles included', () => {
    const c = new TileCache(1_000_000);
    c.set('roads', c.generation('roads'), 'roads|1/0/0|{}', bytes(10));
    c.set('roads', c.generation('roads'), 'roads|1/0/1|{}', undefined);
    c.set('villages', c.generation('villages'), 'villages|1/0/0|{}', bytes(10));
    expect(c.get('roads|1/0/0|{}')).toHaveLength(10);
    expect(c.get('roads|1/0/1|{}')).toBeNull();
    c.invalidate('roads');
    expect(c.get('roads|1/0/0|{}')).toBeUndefined();
    expect(c.get('roads|1/0/1|{}')).toBeUndefined();
    expect(c.get('villages|1/0/0|{}')).toHaveLength(10);
  });

  it('does not store a tile rendered while its collection changed', () => {
    const c = new TileCache(1_000_000);
    const g = c.generation('roads');
    c.invalidate('roads'); // a write committed during rendering
    c.set('roads', g, 'roads|1/0/0|{}', bytes(10));
    expect(c.get('roads|1/0/0|{}')).toBeUndefined();
    const g2 = c.generation('roads');
    c.clear(); // notifications were lost
    c.set('roads', g2, 'roads|1/0/0|{}', bytes(10));
    expect(c.get('roads|1/0/0|{}')).toBeUndefined();
  });

  it('evicts the least recently used tiles beyond its budget', () => {
    const c = new TileCache(10_000);
    for (let i = 0; i < 20; i++) c.set('roads', c.generation('roads'), `roads|${i}`, bytes(1000));
    expect(c.size.bytes).toBeLessThanOrEqual(10_000);
    expect(c.get('roads|0')).toBeUndefined();
    expect(c.get('roads|19')).toHaveLength(1000);
  });

  it('is off with a budget of 0', () => {
    const c = new TileCache(0);
    c.set('roads', c.generation('roads'), 'roads|1', bytes(10));
    expect(c.get('roads|1')).toBeUndefined();
  });
});

describe('TileCache and where writes happen', () => {
  // z14 tiles: 117.20°E 32.95°N is in 13525/6602, 117.30°E 33.00°N in 13530/6599.
  const near = 'garbage_points|14/13525/6602|{}';
  const far = 'garbage_points|14/13530/6599|{}';
  const low = 'garbage_points|8/211/103|{}';
  const at = (lon: number, lat: number): Extent => [lon, lat, lon, lat];

  it('reads the extent from the notification, and the tile of a cache key', () => {
    expect(parseChange('garbage_points 117.1 32.9 117.2 33')).toEqual({ collection: 'garbage_points', extent: [117.1, 32.9, 117.2, 33] });
    expect(parseChange('garbage_points')).toEqual({ collection: 'garbage_points' });
    expect(parseChange('garbage_points 1 2 x 4')).toEqual({ collection: 'garbage_points' });
    const [w, s, e, n] = tileExtent(near)!;
    expect(w).toBeLessThan(117.2);
    expect(e).toBeGreaterThan(117.2);
    expect(s).toBeLessThan(32.95);
    expect(n).toBeGreaterThan(32.95);
    expect(tileExtent('garbage_points|not-a-tile')).toBeUndefined();
  });

  it('drops the tiles a write meets, low zooms included, and keeps the others', () => {
    const c = new TileCache(1_000_000);
    for (const k of [near, far, low]) c.set('garbage_points', c.generation('garbage_points'), k, bytes(10));
    c.invalidate('garbage_points', at(117.2, 32.95));
    expect(c.get(near)).toBeUndefined();
    expect(c.get(low)).toBeUndefined();
    expect(c.get(far)).toHaveLength(10);
    c.invalidate('garbage_points'); // no extent: everywhere
    expect(c.get(far)).toBeUndefined();
  });

  it('keeps a tile just outside a write within reach of its buffer out of the cache too', () => {
    const c = new TileCache(1_000_000);
    c.set('garbage_points', c.generation('garbage_points'), near, bytes(10));
    const [, , east] = tileExtent(near)!;
    c.invalidate('garbage_points', at(east - 1e-9, 32.95)); // in the next tile, within the buffer
    expect(c.get(near)).toBeUndefined();
  });

  it('stores a tile rendered during a write elsewhere, not one rendered during a write in it', () => {
    const c = new TileCache(1_000_000);
    const g = c.generation('garbage_points');
    c.invalidate('garbage_points', at(117.3, 33.0));
    c.set('garbage_points', g, near, bytes(10));
    expect(c.get(near)).toHaveLength(10);
    const g2 = c.generation('garbage_points');
    c.invalidate('garbage_points', at(117.3, 33.0));
    c.invalidate('garbage_points', at(117.2, 32.95));
    c.set('garbage_points', g2, far, bytes(10));
    c.set('garbage_points', g2, low, bytes(10));
    expect(c.get(far)).toBeUndefined();
    expect(c.get(low)).toBeUndefined();
  });
});
