/**
 * Talking to the server: JSON in and out, and one error type that keeps the server's
 * { error, message, details } so forms can show each reason next to its field. Writes carry the
 * session's CSRF token; a 401 while signed in means the session ended, and the app shows the
 * login page (the URL hash, and so the view, stays as it was).
 */
import { useSessionStore } from '../state/session';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Where a 401 is an answer about the credentials given, not a lost session. */
const AUTH_PATHS = ['/api/auth/login', '/api/auth/me', '/api/auth/password'];
export interface FieldError {
  property?: string;
  reason: string;
  /** The kind of problem (server/collections/reasons.ts): lib/reasons.ts says it in the UI's language. */
  code?: string;
  params?: Record<string, string | number>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    /** Seconds from a 429's Retry-After header. */
    readonly retryAfterS?: number,
    /** The details as the server sent them (some carry more than a field's reason). */
    readonly rawDetails: unknown[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown; contentType?: string; onResponse?: (res: Response) => void } = {}): Promise<T> {
  const { json, contentType, onResponse, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('Content-Type', contentType ?? 'application/json');
  headers.set('Accept', 'application/json, application/geo+json');
  const method = (rest.method ?? 'GET').toUpperCase();
  const csrf = useSessionStore.getState().csrfToken;
  if (WRITES.has(method) && csrf) headers.set('X-CSRF-Token', csrf);
  let res: Response;
  try {
    res = await fetch(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  } catch (e) {
    throw new ApiError(0, 'network', (e as Error).message || 'network error');
  }
  onResponse?.(res);
  if (res.status === 401 && !AUTH_PATHS.some((p) => path.startsWith(p))) useSessionStore.getState().expire();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; message?: string; details?: unknown };
    // Features name a `property` and a `reason`, query parameters a `parameter` and a `message`,
    // account forms a `field` and a `message`.
    const details = Array.isArray(b.details)
      ? (b.details as { property?: string; parameter?: string; field?: string; reason?: string; message?: string; code?: unknown; params?: unknown }[])
        .filter((d) => d && typeof (d.reason ?? d.message) === 'string')
        .map((d): FieldError => ({
          property: d.property ?? d.parameter ?? d.field,
          reason: (d.reason ?? d.message)!,
          ...(typeof d.code === 'string' ? { code: d.code } : {}),
          ...(d.params && typeof d.params === 'object' ? { params: d.params as FieldError['params'] } : {}),
        }))
      : [];
    throw new ApiError(res.status, b.error ?? 'http_error', b.message ?? `HTTP ${res.status}`, details, retryAfterSeconds(res.headers.get('Retry-After')), Array.isArray(b.details) ? b.details : []);
  }
  return body as T;
}

/**
 * Field errors grouped by property ('' for the feature as a whole). Some server refusals (those
 * raised by a database rule) carry no details but start with the property they are about
 * ("cleared_at is before reported_at; …"): given the form's property names, such a message is
 * put next to that field instead of under the form.
 */
export function errorsByField(e: unknown, properties: readonly string[] = [], describe: (d: FieldError) => string = (d) => d.reason): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!(e instanceof ApiError)) {
    if (e instanceof Error) out[''] = [e.message];
    return out;
  }
  for (const d of e.details) (out[d.property ?? ''] ??= []).push(describe(d));
  if (!e.details.length) {
    const about = properties.find((p) => new RegExp(`^${p}\\b(?!_)`).test(e.message));
    (out[about ?? ''] ??= []).push(e.message);
  }
  return out;
}

/**
 * One feature with the ETag of the response (PUT/PATCH/DELETE send it back as If-Match, so a
 * write over someone else's change is refused with 412 instead of silently undoing it).
 */
export async function apiItem<T extends { etag?: string }>(path: string, init: Parameters<typeof api>[1] = {}): Promise<T> {
  let etag: string | undefined;
  const body = await api<T>(path, { ...init, onResponse: (res) => { etag = res.headers.get('ETag') ?? undefined; } });
  return body && etag ? { ...body, etag } : body;
}

/** True for the server's answer to a write made from a stale read (If-Match no longer matches). */
export function isEditConflict(e: unknown): boolean {
  return e instanceof ApiError && e.status === 412;
}

/** Retry-After as seconds: either a number of seconds or an HTTP date (RFC 9110). */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now) / 1000));
}
