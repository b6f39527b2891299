/**
 * Random session ids and API tokens, and the hashes the database keeps instead of them.
 * A sha256 is enough here (unlike passwords): the secrets are 256 random bits, not guessable words.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'remap_';

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** An API token; the prefix lets secret scanners and people recognise it. */
export function newApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function sha256hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The CSRF token of a session, derived from its id so nothing more is stored: a page of another
 * site cannot read it (it never leaves our JSON responses) and it differs from the stored hash.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf\0${sessionId}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
