/**
 * Login throttling: after LOGIN_MAX_FAILURES failed logins for one username from one address
 * within LOGIN_WINDOW_S, further tries are refused with 429 and Retry-After until the oldest
 * failure leaves the window (even with the right password, so guessing cannot go on).
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { HttpError } from '../errors.js';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_S = 15 * 60;

/** Usernames are compared case-insensitively here, so Admin/ADMIN do not get fresh tries. */
const key = (username: string) => username.toLowerCase().slice(0, 64);

export async function refuseIfThrottled(q: Queryable, username: string, ip: string): Promise<void> {
  const { rows } = await q.query<{ n: number; retry_after_s: number | null }>(sqlFile('auth/failures_recent'), [key(username), ip, LOGIN_WINDOW_S]);
  const { n, retry_after_s } = rows[0];
  if (n >= LOGIN_MAX_FAILURES) {
    const wait = Math.max(1, retry_after_s ?? LOGIN_WINDOW_S);
    throw new HttpError(429, 'too_many_attempts',
      `too many failed logins for ${username} from this address: try again in ${Math.ceil(wait / 60)} min`,
      undefined, { 'Retry-After': String(wait) });
  }
}

export async function recordFailure(q: Queryable, username: string, ip: string): Promise<void> {
  await q.query(sqlFile('auth/failure_insert'), [key(username), ip]);
}

export async function clearFailures(q: Queryable, username: string, ip: string): Promise<void> {
  await q.query(sqlFile('auth/failures_clear'), [key(username), ip, LOGIN_WINDOW_S]);
}
