/**
 * The seeds' survival rule (成活率): ≥ 85 % passes, ≤ 40 % means replanting the plot, anything
 * between (41–84 %) means replanting the gaps. Compared in whole numbers (100·alive against
 * 85·planted), so the boundaries are exact: 85 of 100 passes, 40 of 100 is a replant.
 * Pure (no imports): the server decides with it and the client shows it.
 */
export type SurvivalOutcome = 'pass' | 'gap_replant' | 'replant';

export const SURVIVAL_OUTCOMES: readonly SurvivalOutcome[] = ['pass', 'gap_replant', 'replant'];

/** The rule in percent, stated in answers. */
export const SURVIVAL_RULE = { pass_min_pct: 85, replant_max_pct: 40 } as const;

export function survivalOutcome(alive: number, planted: number): SurvivalOutcome {
  if (!Number.isInteger(alive) || !Number.isInteger(planted) || planted <= 0 || alive < 0 || alive > planted) {
    throw new RangeError(`a survival check needs whole numbers 0 ≤ alive ≤ planted and planted > 0, got ${alive} of ${planted}`);
  }
  if (100 * alive >= SURVIVAL_RULE.pass_min_pct * planted) return 'pass';
  if (100 * alive <= SURVIVAL_RULE.replant_max_pct * planted) return 'replant';
  return 'gap_replant';
}

/** Survival rate in percent, one decimal. */
export function survivalPct(alive: number, planted: number): number {
  return Math.round((1000 * alive) / planted) / 10;
}
