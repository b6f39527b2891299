/**
 * Optimistic concurrency for the item routes: GET gives an ETag, PUT/PATCH/DELETE honour If-Match.
 *
 * The ETag is strong, `"<id>-<version>"`, where version is the row's counter bumped by a trigger on
 * every change (010_feature_versions.sql). Strong, because the stored feature changes exactly when
 * the counter does, and If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches.
 * The version is checked in the same UPDATE/DELETE statement that writes (see sql/items/patch.sql),
 * so two writers holding the same ETag cannot both succeed.
 */
import { HttpError, invalidParameter } from '../errors.js';

export function etagFor(id: number, version: string): string {
  return `"${id}-${version}"`;
}

const TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;

/**
 * The versions of feature `id` an If-Match header accepts: null when there is no condition
 * (no header, or `*`), else a list (empty when none of the tags can be this feature's, which
 * then fails as a stale tag would). A header that is not a list of quoted tags is a 400.
 */
export function ifMatchVersions(header: string | string[] | undefined, id: number): string[] | null {
  if (header === undefined) return null;
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw.trim() === '*') return null;
  const versions: string[] = [];
  for (const part of raw.split(',')) {
    const m = TAG.exec(part.trim());
    if (!m) {
      throw invalidParameter('If-Match', `${JSON.stringify(raw.slice(0, 80))} is not an ETag list; send the ETag header of a GET of this feature unchanged, e.g. If-Match: "${id}-1"`);
    }
    const own = /^(\d+)-(\d{1,18})$/.exec(m[2]);
    if (!m[1] && own && Number(own[1]) === id) versions.push(own[2]);
  }
  return versions;
}

/** 412 when the feature exists but no longer has the version the client read. */
export function preconditionFailed(collection: string, id: number, sent: string | string[] | undefined, current: string | undefined): HttpError {
  const now = current ? `; it is now ${current}` : '';
  return new HttpError(
    412,
    'precondition_failed',
    `feature ${id} in ${collection} changed since you read it (If-Match ${String(sent)}${now}); nothing was written. Read it again with GET, redo your change and send the new ETag`,
    undefined,
    current ? { ETag: current } : undefined,
  );
}
