/**
 * Checks on the account forms before anything is sent (the server checks again and its message
 * is shown too). Each problem is a catalogue key, so it follows a language switch. Pure functions.
 */
import type { MessageKey } from '../i18n/catalog';
import { isRole } from './permissions';

/** The shortest password the forms accept (the server's rule; it refuses shorter ones with 400). */
export const MIN_PASSWORD_LENGTH = 8;
/** The server's rule (server/auth/users.ts): 1 to 64 letters, digits or . _ @ -. */
const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export type Problems = Record<string, MessageKey>;

export function passwordProblem(password: string): MessageKey | undefined {
  if (!password) return 'account.problem.required';
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'account.problem.short';
  return undefined;
}

export function validatePasswordChange(v: { current: string; next: string; confirm: string }): Problems {
  const out: Problems = {};
  if (!v.current) out.current = 'account.problem.required';
  const p = passwordProblem(v.next);
  if (p) out.next = p;
  else if (v.next === v.current) out.next = 'account.problem.same';
  if (!out.next && v.confirm !== v.next) out.confirm = 'account.problem.mismatch';
  return out;
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  villages: string[];
}

export function validateNewUser(v: NewUser, taken: readonly string[] = []): Problems {
  const out: Problems = {};
  if (!v.username) out.username = 'account.problem.required';
  else if (!USERNAME.test(v.username)) out.username = 'account.problem.username';
  else if (taken.includes(v.username)) out.username = 'account.problem.taken';
  const p = passwordProblem(v.password);
  if (p) out.password = p;
  if (!isRole(v.role)) out.role = 'account.problem.required';
  else if (v.role === 'village_officer' && v.villages.length === 0) out.villages = 'account.problem.villages';
  return out;
}

/** 'M分S秒' or '5 s' style wait, given seconds. */
export function waitParts(seconds: number): { minutes: number; seconds: number } {
  const s = Math.max(0, Math.ceil(seconds));
  return { minutes: Math.floor(s / 60), seconds: s % 60 };
}
