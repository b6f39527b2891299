/**
 * Refuses request paths with dot segments ("..", also percent-encoded or with a backslash) before
 * routing. Browsers never send them; a client that does is probing for files outside the app, and
 * a plain 400 in the error shape is clearer than whichever route the normalised path would reach.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

// ".." as a whole segment, the dots and slashes possibly percent-encoded (once or twice).
const DOT_SEGMENT = /(^|\/|\\|%2f|%5c|%252f|%255c)(\.|%2e|%252e){2}($|\/|\\|%2f|%5c|%252f|%255c|\?|#)/i;

export function hasDotSegment(rawUrl: string): boolean {
  return DOT_SEGMENT.test(rawUrl.split('?')[0]);
}

export function refuseDotSegments(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (hasDotSegment(req.raw.url ?? '')) {
      throw new HttpError(400, 'invalid_path', 'the path contains a ".." segment; request paths must not step out of their folder');
    }
  });
}
