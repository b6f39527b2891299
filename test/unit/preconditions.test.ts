import { describe, it, expect } from 'vitest';
import { etagFor, ifMatchVersions } from '../../server/routes/preconditions.js';
import { hasDotSegment } from '../../server/dot-segments.js';

describe('If-Match parsing', () => {
  it('gives no condition for a missing header or *, and the versions of this feature otherwise', () => {
    expect(etagFor(42, '7')).toBe('"42-7"');
    expect(ifMatchVersions(undefined, 42)).toBeNull();
    expect(ifMatchVersions('*', 42)).toBeNull();
    expect(ifMatchVersions('"42-7"', 42)).toEqual(['7']);
    expect(ifMatchVersions('"x", "42-7" ,"42-9"', 42)).toEqual(['7', '9']);
  });

  it('never matches weak tags or another feature\'s tag, and refuses what is not a tag list', () => {
    expect(ifMatchVersions('W/"42-7"', 42)).toEqual([]);
    expect(ifMatchVersions('"41-7"', 42)).toEqual([]);
    expect(ifMatchVersions('"42-99999999999999999999"', 42)).toEqual([]);
    for (const bad of ['42-7', '"42-7', 'W/', '"a" "b"']) expect(() => ifMatchVersions(bad, 42), bad).toThrow(/is not an ETag list/);
  });
});

describe('dot segments in request paths', () => {
  it('finds "..", plain, percent-encoded once or twice, or with backslashes', () => {
    for (const p of ['/../x', '/a/..', '/..%2fx', '/%2e%2e/x', '/%2E%2E%2Fx', '/.%2e/x', '/x%2f..%2fy', '/..%5cx', '/%252e%252e%252fx', '/a\\..\\b'])
      expect(hasDotSegment(p), p).toBe(true);
  });
  it('leaves names with dots alone, and the query string', () => {
    for (const p of ['/api/tiles/roads.json', '/assets/index-abc.js', '/a..b', '/...', '/api/x?q=../..', '/a/.b/c'])
      expect(hasDotSegment(p), p).toBe(false);
  });
});
