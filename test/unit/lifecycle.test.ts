import { describe, it, expect } from 'vitest';
import { LIFECYCLES, nextStatuses, refusal } from '../../server/workflow/lifecycle.js';
import { conversionOf, conversionTarget } from '../../server/workflow/convert.js';
import { findCollection, FINDING_CATEGORIES } from '../../server/collections/registry.js';

describe('status lifecycles', () => {
  it('cover exactly the statuses the registry knows', () => {
    for (const [id, table] of Object.entries(LIFECYCLES)) {
      const status = findCollection(id)!.properties.find((p) => p.name === 'status')!;
      expect(status.type).toBe('enum');
      expect(Object.keys(table).sort()).toEqual([...(status as { values: readonly string[] }).values].sort());
      for (const targets of Object.values(table)) for (const t of targets) expect(Object.keys(table)).toContain(t);
    }
  });

  it('garbage points: reported → assigned → cleared → verified, back to assigned when not clean', () => {
    const allowed = [['reported', 'assigned'], ['assigned', 'cleared'], ['cleared', 'verified'], ['cleared', 'assigned']];
    const statuses = Object.keys(LIFECYCLES.garbage_points);
    for (const from of statuses) {
      for (const to of statuses) {
        const ok = allowed.some(([a, b]) => a === from && b === to);
        expect(refusal('garbage_points', from, to) === undefined, `${from} → ${to}`).toBe(ok);
      }
    }
    expect(refusal('garbage_points', 'reported', 'cleared')).toBe('a garbage point that is reported can only become assigned, not cleared');
    expect(refusal('garbage_points', 'verified', 'assigned')).toMatch(/verified is a final status/);
    expect(refusal('garbage_points', 'assigned', 'assigned')).toBe('the feature is already assigned');
  });

  it('demolition sites: identified → marked → notice_issued → demolished, exempt from any open state', () => {
    expect(nextStatuses('demolition_sites', 'identified')).toEqual(['marked', 'exempt']);
    expect(nextStatuses('demolition_sites', 'marked')).toEqual(['notice_issued', 'exempt']);
    expect(nextStatuses('demolition_sites', 'notice_issued')).toEqual(['demolished', 'exempt']);
    expect(refusal('demolition_sites', 'identified', 'demolished')).toMatch(/can only become marked or exempt, not demolished/);
    expect(refusal('demolition_sites', 'exempt', 'demolished')).toMatch(/final/);
    expect(refusal('demolition_sites', 'marked', 'razed')).toMatch(/razed is not a status of demolition_sites/);
    expect(refusal('findings', 'open', 'verified')).toMatch(/no status lifecycle/);
  });
});

describe('converting findings', () => {
  const base = { id: 7, description: '堆放', found_at: '2026-11-20T23:30:00.000Z', geometry: { type: 'Point', coordinates: [117, 32] } };

  it('knows the target of every category', () => {
    const targets = Object.fromEntries(Object.keys(FINDING_CATEGORIES).map((c) => [c, conversionTarget(c) ?? null]));
    expect(targets).toEqual({
      roadside_garbage: 'garbage_points', construction_waste: 'garbage_points', straw_pile: 'garbage_points', overflowing_pool: 'garbage_points',
      floating_debris: 'garbage_points', illegal_ad: null, damaged_bin: null, prohibited_structure: 'demolition_sites', other: null,
    });
  });

  it('a prohibited structure becomes an identified demolition site dated on the Shanghai day it was found', () => {
    const c = conversionOf({ ...base, category: 'prohibited_structure' }, { kind: 'pig_pen' });
    expect(c).toEqual({ collection: 'demolition_sites', feature: { type: 'Feature', geometry: base.geometry, properties: { kind: 'pig_pen', status: 'identified', description: '巡查问题 #7：堆放', identified_on: '2026-11-21' } } });
    expect(conversionOf({ ...base, category: 'prohibited_structure' }, { volume_t: 2 })).toHaveProperty('refused');
  });

  it('garbage findings become reported garbage points of the matching category', () => {
    const c = conversionOf({ ...base, category: 'straw_pile' }, {});
    expect(c).toMatchObject({ collection: 'garbage_points', feature: { properties: { category: 'agricultural', status: 'reported', reported_at: base.found_at } } });
    expect(conversionOf({ ...base, category: 'straw_pile' }, { kind: 'shed' })).toHaveProperty('refused');
    expect(conversionOf({ ...base, category: 'damaged_bin' }, {})).toEqual({ refused: expect.stringMatching(/damaged_bin does not become/) });
  });
});
