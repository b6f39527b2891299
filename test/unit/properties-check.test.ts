import { describe, it, expect } from 'vitest';
import { checkProperties, shanghaiToday } from '../../server/collections/properties.js';
import { findCollection } from '../../server/collections/registry.js';

const garbage = findCollection('garbage_points')!;
const sites = findCollection('demolition_sites')!;
const villages = findCollection('villages')!;

describe('checkProperties', () => {
  it('fills defaults on create, not on patch', () => {
    const created = checkProperties(garbage, { category: 'domestic' }, 'create');
    expect(created.errors).toEqual([]);
    expect(created.values.status).toBe('reported');
    expect(typeof created.values.reported_at).toBe('string');
    expect(checkProperties(garbage, { volume_t: 2 }, 'patch').values).toEqual({ volume_t: 2 });
  });

  it('reads a date-time without offset in Asia/Shanghai and a bare date as its midnight there', () => {
    expect(checkProperties(garbage, { category: 'x', reported_at: '2026-10-01 08:00' }, 'create').values.reported_at).toBe('2026-10-01T00:00:00.000Z');
    expect(checkProperties(garbage, { category: 'x', reported_at: '2026-10-01' }, 'create').values.reported_at).toBe('2026-09-30T16:00:00.000Z');
    expect(checkProperties(garbage, { category: 'x', reported_at: '2026-10-01T08:00:00Z' }, 'create').values.reported_at).toBe('2026-10-01T08:00:00.000Z');
  });

  it('today in Shanghai turns over at 16:00 UTC', () => {
    expect(shanghaiToday(new Date('2026-10-31T15:59:59Z'))).toBe('2026-10-31');
    expect(shanghaiToday(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
  });

  it('names the property and what it accepts', () => {
    const r = checkProperties(sites, { kind: 'barn', status: 'gone', deadline: '2026-02-30', identified_on: '2026-10-10', demolished_on: '2026-10-01' }, 'create');
    expect(r.errors.map((e) => e.property)).toEqual(['kind', 'status', 'deadline', 'demolished_on']);
    expect(r.errors[0].reason).toMatch(/kind is "barn"; use one of pig_pen \(猪圈\), dry_toilet \(旱厕\)/);
    expect(r.errors[2].reason).toMatch(/deadline must be a calendar date YYYY-MM-DD, got "2026-02-30"/);
    expect(r.errors[3].reason).toMatch(/demolished_on is before identified_on/);
    expect(checkProperties(villages, { name: '杨圩村', township: '包集镇', code: '3403' }, 'create').errors[0].reason).toMatch(/12-digit statistical code/);
  });

  it('keeps unknown attributes of imports as source, refuses them on item writes', () => {
    const imp = checkProperties(sites, { kind: 'shed', id: 42, 户主: '张三' }, 'import');
    expect(imp.errors).toEqual([]);
    expect(imp.source).toEqual({ id: 42, 户主: '张三' });
    expect(checkProperties(sites, { kind: 'shed', owner: '张三' }, 'create').errors[0]).toMatchObject({ property: 'owner', reason: expect.stringMatching(/unknown property owner/) });
    // read-only members sent back by OGC clients are ignored
    expect(checkProperties(sites, { kind: 'shed', id: 3, created_at: 'x', updated_at: 'y' }, 'create').errors).toEqual([]);
  });

  it('required properties cannot be cleared by a patch', () => {
    expect(checkProperties(sites, { kind: null }, 'patch').errors[0]).toEqual({ property: 'kind', reason: 'kind is required and cannot be null', code: 'required' });
  });
});
