/** How the client shows and reads values: units, 亩, stakes, the scale bar, measuring, errors. */
import { describe, it, expect } from 'vitest';
import { formatArea, formatDistance, formatLngLat, formatNumber, shanghaiDateTime, fromDateTimeInput, toDateTimeInput, SQ_M_PER_MU } from '../../../client/src/lib/format';
import { niceScale } from '../../../client/src/lib/scale';
import { parseStake, formatStake } from '../../../client/src/lib/search';
import { measure } from '../../../client/src/lib/measure';
import { ApiError, errorsByField } from '../../../client/src/api/http';

describe('formatting', () => {
  it('shows lengths in 米 below a kilometre and 公里 above', () => {
    expect(formatDistance(12.4, 'zh')).toBe('12 米');
    expect(formatDistance(999, 'en')).toBe('999 m');
    expect(formatDistance(1234.5, 'zh')).toBe('1.235 公里');
    expect(formatDistance(12_345, 'en')).toBe('12.35 km');
  });

  it('shows areas in 亩 (1 亩 = 666.67 m²) with square metres or km²', () => {
    expect(SQ_M_PER_MU).toBeCloseTo(666.6667, 3);
    expect(formatArea(10_000, 'zh')).toBe('15 亩 · 10,000 平方米');
    expect(formatArea(666.67, 'en')).toBe('1 mu · 667 m²');
    expect(formatArea(2_000_000, 'zh')).toBe('3,000 亩 · 2 平方公里');
  });

  it('keeps the server\'s decimals so a table shows the API\'s value', () => {
    expect(formatNumber(13.386, 'zh', 3)).toBe('13.386');
    expect(formatNumber(92.86, 'en', 2)).toBe('92.86');
    expect(formatNumber(5198.6, 'zh', 1)).toBe('5,198.6');
  });

  it('writes coordinates and Asia/Shanghai times', () => {
    expect(formatLngLat(117.2, 32.95)).toBe('117.20000°E  32.95000°N');
    expect(shanghaiDateTime('2026-10-05T00:00:00Z')).toBe('2026-10-05 08:00');
    expect(toDateTimeInput('2026-10-05T00:00:00Z')).toBe('2026-10-05T08:00');
    expect(fromDateTimeInput('2026-10-01T08:00')).toBe('2026-10-01T08:00:00+08:00');
  });
});

describe('the scale bar', () => {
  it('is a round 1, 2 or 5 × 10ⁿ metres no wider than asked', () => {
    expect(niceScale(10, 100)).toEqual({ widthPx: 100, metres: 1000 });
    expect(niceScale(17, 100)).toEqual({ widthPx: 59, metres: 1000 });
    expect(niceScale(3, 100)).toEqual({ widthPx: 67, metres: 200 });
    expect(niceScale(0.6, 100)).toEqual({ widthPx: 83, metres: 50 });
  });
});

describe('stakes', () => {
  it('reads "S225 K3+200" and its variants', () => {
    expect(parseStake('S225 K3+200')).toEqual({ code: 'S225', stake_m: 3200, text: 'K3+200' });
    expect(parseStake('s225k3+200')).toEqual({ code: 'S225', stake_m: 3200, text: 'K3+200' });
    expect(parseStake('G206 K12')).toEqual({ code: 'G206', stake_m: 12000, text: 'K12+000' });
    expect(parseStake('S225 K3+1200')).toBeNull();
    expect(parseStake('包集村')).toBeNull();
    expect(formatStake(4842.9)).toBe('K4+843');
  });
});

describe('measuring', () => {
  it('gives geodesic lengths and areas', () => {
    // 0.01° of latitude ≈ 1,109 m near 33°N; a 0.01° × 0.01° cell ≈ 1.035 km².
    const line = measure({ type: 'LineString', coordinates: [[117.2, 32.9], [117.2, 32.91]] });
    expect(line.length_m).toBeGreaterThan(1105);
    expect(line.length_m).toBeLessThan(1115);
    const square = measure({ type: 'Polygon', coordinates: [[[117.2, 32.9], [117.21, 32.9], [117.21, 32.91], [117.2, 32.91], [117.2, 32.9]]] });
    expect(square.area_m2! / 1e6).toBeGreaterThan(1.02);
    expect(square.area_m2! / 1e6).toBeLessThan(1.05);
    expect(measure(null)).toEqual({});
    expect(measure({ type: 'LineString', coordinates: [[117, 33]] })).toEqual({});
  });
});

describe('server errors by field', () => {
  it('puts each reason next to its property or parameter', () => {
    const e = new ApiError(422, 'invalid_feature', 'x', [{ property: 'width_m', reason: 'must be at least 0.5' }, { reason: 'whole feature' }]);
    expect(errorsByField(e)).toEqual({ width_m: ['must be at least 0.5'], '': ['whole feature'] });
  });

  it('attributes a detail-less refusal to the property it starts with', () => {
    const e = new ApiError(422, 'invalid_feature', 'cleared_at is before reported_at; a point is cleared after it was reported');
    expect(errorsByField(e, ['reported_at', 'cleared_at'])).toEqual({ cleared_at: ['cleared_at is before reported_at; a point is cleared after it was reported'] });
    expect(errorsByField(e, ['cleared'])).toEqual({ '': [e.message] });
    expect(errorsByField(new Error('offline'))).toEqual({ '': ['offline'] });
  });
});
