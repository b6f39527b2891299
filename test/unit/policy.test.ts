/**
 * The policy module the server enforces and the client imports: who may write which collection
 * and setting, and that it stays free of Node-only imports (the client bundles it).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canWrite, canChangeSetting, writableCollections, routeRule, ROLES, isRole } from '../../server/auth/policy.js';
import { COLLECTIONS } from '../../server/collections/registry.js';

const ids = COLLECTIONS.map((c) => c.id);

describe('policy', () => {
  it('gives each role the collections of the issue, admin all, village officers and viewers none', () => {
    expect(writableCollections('admin', ids)).toEqual(ids);
    expect(writableCollections('planner', ids).sort()).toEqual(['roads', 'villages', 'waterways']);
    expect(writableCollections('greening', ids)).toEqual(['afforestation_plots']);
    expect(writableCollections('inspector', ids).sort()).toEqual(['demolition_sites', 'findings', 'garbage_points', 'patrols', 'sanitation_facilities']);
    expect(writableCollections('village_officer', ids)).toEqual([]);
    expect(writableCollections('viewer', ids)).toEqual([]);
    expect(canWrite('inspector', 'roads')).toBe(false);
    expect(canWrite('planner', 'no_such_collection')).toBe(false);
  });

  it('lets planners change the analysis rules but only admins public_read', () => {
    expect(canChangeSetting('planner', 'setback_m_by_class')).toBe(true);
    expect(canChangeSetting('planner', 'public_read')).toBe(false);
    expect(canChangeSetting('admin', 'public_read')).toBe(true);
    for (const r of ['greening', 'inspector', 'village_officer', 'viewer'] as const) expect(canChangeSetting(r, 'corridor_rewards')).toBe(false);
  });

  it('treats HEAD as GET and knows no rule for an unknown route', () => {
    expect(routeRule('HEAD', '/api/collections')).toBe('read');
    expect(routeRule('GET', '/api/nothing')).toBeUndefined();
    expect(routeRule('DELETE', '/api/users')).toBeUndefined();
  });

  it('recognises exactly the six roles', () => {
    expect(ROLES).toEqual(['admin', 'planner', 'greening', 'inspector', 'village_officer', 'viewer']);
    expect(isRole('mayor')).toBe(false);
    expect(isRole('viewer')).toBe(true);
  });

  it('imports nothing (the client bundles it)', () => {
    const text = readFileSync(fileURLToPath(new URL('../../server/auth/policy.ts', import.meta.url)), 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
  });
});
