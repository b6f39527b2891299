import { describe, it, expect } from 'vitest';
import { TileCache } from '../../server/tiles/cache.js';

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
