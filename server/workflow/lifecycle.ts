/**
 * Status lifecycles of garbage points and demolition sites: which changes are allowed, and why
 * one is refused. Pure data and functions (the client imports them to offer only allowed steps).
 *
 *   garbage_points:   reported → assigned → cleared → verified; cleared → assigned when a
 *                     check finds it not clean (返工).
 *   demolition_sites: identified → marked → notice_issued → demolished; exempt (不予拆除) from
 *                     any state before demolished. demolished and exempt are final.
 */

export const LIFECYCLES: Record<string, Record<string, readonly string[]>> = {
  garbage_points: {
    reported: ['assigned'],
    assigned: ['cleared'],
    cleared: ['verified', 'assigned'],
    verified: [],
  },
  demolition_sites: {
    identified: ['marked', 'exempt'],
    marked: ['notice_issued', 'exempt'],
    notice_issued: ['demolished', 'exempt'],
    demolished: [],
    exempt: [],
  },
};

export function hasLifecycle(collection: string): boolean {
  return collection in LIFECYCLES;
}

/** The statuses a feature may move to next. */
export function nextStatuses(collection: string, from: string): readonly string[] {
  return LIFECYCLES[collection]?.[from] ?? [];
}

/** Undefined when the change is allowed, else a sentence saying why not and what is allowed. */
export function refusal(collection: string, from: string, to: string): string | undefined {
  const table = LIFECYCLES[collection];
  if (!table) return `${collection} has no status lifecycle`;
  if (!(to in table)) return `${to} is not a status of ${collection}; the statuses are ${Object.keys(table).join(', ')}`;
  if (from === to) return `the feature is already ${to}`;
  const next = table[from] ?? [];
  if (next.includes(to)) return undefined;
  if (!next.length) return `${from} is a final status of ${collection}: it cannot change to ${to}`;
  return `a ${collection.replace(/_/g, ' ').replace(/s$/, '')} that is ${from} can only become ${next.join(' or ')}, not ${to}`;
}
