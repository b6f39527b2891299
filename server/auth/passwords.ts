/** Password hashing (argon2id with the library's defaults: 19 MiB, 2 passes) and the rules for new passwords. */
import { hash, verify } from '@node-rs/argon2';
import { badRequest } from '../errors.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the user does not exist, so that the answer takes as long either way
// and the response time does not tell which usernames exist.
let dummy: Promise<string> | undefined;

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    dummy ??= hash('not a password of anyone');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A new password's problems as a clear 400 (field names as in the request). */
export function checkNewPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw badRequest(`${field} must be a string`, [{ field, message: 'must be a string' }]);
  if ([...password].length < PASSWORD_MIN) {
    throw badRequest(`${field} is too short: use at least ${PASSWORD_MIN} characters`, [{ field, message: `at least ${PASSWORD_MIN} characters` }]);
  }
  if (password.length > PASSWORD_MAX) {
    throw badRequest(`${field} is too long: use at most ${PASSWORD_MAX} characters`, [{ field, message: `at most ${PASSWORD_MAX} characters` }]);
  }
  return password;
}
