/**
 * The seeds' survival rule at its boundaries (≥ 85 % passes, ≤ 40 % replant, between: gap
 * replanting), and what plantings and checks do to a plot.
 */
import { describe, it, expect } from 'vitest';
import { survivalOutcome, survivalPct } from '../../server/greening/survival.js';
import { afterCheck, afterPlanting, checkPlanting, checkSurvival } from '../../server/greening/records.js';

describe('survival rule', () => {
  it('is exact at the boundaries', () => {
    expect(survivalOutcome(85, 100)).toBe('pass');
    expect(survivalOutcome(17, 20)).toBe('pass');
    expect(survivalOutcome(84, 100)).toBe('gap_replant');
    expect(survivalOutcome(849_999, 1_000_000)).toBe('gap_replant');
    expect(survivalOutcome(41, 100)).toBe('gap_replant');
    expect(survivalOutcome(400_001, 1_000_000)).toBe('gap_replant');
    expect(survivalOutcome(40, 100)).toBe('replant');
    expect(survivalOutcome(2, 5)).toBe('replant');
    expect(survivalOutcome(0, 1)).toBe('replant');
    expect(survivalOutcome(1, 1)).toBe('pass');
    // 6/7 = 85.7 % passes, 5/6 = 83.3 % does not
    expect(survivalOutcome(6, 7)).toBe('pass');
    expect(survivalOutcome(5, 6)).toBe('gap_replant');
  });

  it('refuses counts that are not a sample', () => {
    expect(() => survivalOutcome(5, 0)).toThrow(RangeError);
    expect(() => survivalOutcome(11, 10)).toThrow(RangeError);
    expect(() => survivalOutcome(-1, 10)).toThrow(RangeError);
    expect(() => survivalOutcome(1.5, 10)).toThrow(RangeError);
  });

  it('states the rate to one decimal', () => {
    expect(survivalPct(2, 3)).toBe(66.7);
    expect(survivalPct(85, 100)).toBe(85);
  });
});

describe('plots after greening records', () => {
  it('adds planted 亩 up to the plan and sets in_progress, then planted', () => {
    expect(afterPlanting({ planned_mu: 10, planted_mu: 0 }, 4)).toEqual({ planted_mu: 4, replanted_mu: 0, status: 'in_progress' });
    expect(afterPlanting({ planned_mu: 10, planted_mu: 4 }, 6)).toEqual({ planted_mu: 10, replanted_mu: 0, status: 'planted' });
    // More than planned: the rest is replanting of what was planted before.
    expect(afterPlanting({ planned_mu: 10, planted_mu: 10 }, 3)).toEqual({ planted_mu: 10, replanted_mu: 3, status: 'planted' });
    expect(afterPlanting({ planned_mu: 10, planted_mu: 8 }, 3)).toEqual({ planted_mu: 10, replanted_mu: 1, status: 'planted' });
  });

  it('needs replanting after a gap or replant outcome, and is planted again after a pass', () => {
    expect(afterCheck({ planned_mu: 10, planted_mu: 10 }, 'gap_replant')).toBe('replant_needed');
    expect(afterCheck({ planned_mu: 10, planted_mu: 10 }, 'replant')).toBe('replant_needed');
    expect(afterCheck({ planned_mu: 10, planted_mu: 10 }, 'pass')).toBe('planted');
    expect(afterCheck({ planned_mu: 10, planted_mu: 6 }, 'pass')).toBe('in_progress');
  });

  it('names every bad field of a planting or a check', () => {
    const now = new Date('2026-11-23T04:00:00Z');
    expect(checkPlanting({ planted_mu: 0 }, now).errors.map((e) => e.property)).toEqual(['planted_mu']);
    expect(checkPlanting({ planted_mu: -2, planted_on: '2026-02-30', trees: 1.5, colour: 'x' }, now).errors.map((e) => e.property).sort())
      .toEqual(['colour', 'planted_mu', 'planted_on', 'trees']);
    expect(checkPlanting({ planted_mu: 2, planted_on: '2026-11-24' }, now).errors[0].reason).toMatch(/after today \(2026-11-23/);
    expect(checkPlanting({ planted_mu: 2 }, now)).toMatchObject({ errors: [], value: { planted_on: '2026-11-23', planted_mu: 2 } });
    expect(checkSurvival({ sample_planted: 10, sample_alive: 11 }, now).errors.map((e) => e.property)).toEqual(['sample_alive']);
    expect(checkSurvival({ sample_planted: 0, sample_alive: 0 }, now).errors.map((e) => e.property)).toEqual(['sample_planted']);
    expect(checkSurvival([], now).errors).toHaveLength(3);
  });
});
