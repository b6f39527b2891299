/**
 * Dates on the township's clock (Asia/Shanghai, UTC+8, no daylight saving), counted from the
 * fixed reference date DEMO_AS_OF, never from the machine's clock.
 */
import { DEMO_AS_OF } from './config.js';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** The instant DEMO_AS_OF begins in Shanghai: the end of the demo's "last 12 months". */
export const AS_OF_START = Date.parse(`${DEMO_AS_OF}T00:00:00+08:00`);
/** The start of the 12 months before DEMO_AS_OF (2025-11-20T00:00+08:00). */
export const YEAR_START = (() => {
  const d = new Date(Date.parse(`${DEMO_AS_OF}T00:00:00Z`));
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.getTime() - 8 * HOUR;
})();
export const DAYS_IN_YEAR = Math.round((AS_OF_START - YEAR_START) / DAY);

/** RFC 3339 with the +08:00 offset, to the second: '2026-03-05T08:30:00+08:00'. */
export function shanghaiDateTime(t: number): string {
  return `${new Date(t + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
}

/** The instant a Shanghai calendar day begins, `days` after the start of the 12 months. */
export function dayStart(days: number): number {
  return YEAR_START + days * DAY;
}

/** Shanghai calendar month (1–12) of an instant. */
export function shanghaiMonth(t: number): number {
  return new Date(t + 8 * HOUR).getUTCMonth() + 1;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
