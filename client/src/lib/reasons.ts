/**
 * The server's refusals said in the interface's language: a FieldError with a code (server/
 * collections/reasons.ts) becomes a sentence from the catalogue, with the property's label, its
 * choices, range and unit from the registry, and the value or place the server names. Without a
 * code (or one this client does not know) the server's own English reason is shown.
 */
import type { CollectionDef, GeometryType, PropertyDef } from '../../../server/collections/registry';
import type { MessageKey } from '../i18n/catalog';
import { zh } from '../i18n/catalog';
import { ApiError, type FieldError } from '../api/http';
import { FILE_ERROR_CODES } from '../../../server/errors';
import { formatNumber, label, type Lang } from './format';

type T = (key: MessageKey, vars?: Record<string, unknown>) => string;

const GEOMETRY_NAME: Record<GeometryType, MessageKey> = {
  Point: 'feature.geom.Point',
  LineString: 'feature.geom.LineString',
  MultiLineString: 'feature.geom.LineString',
  Polygon: 'feature.geom.Polygon',
  MultiPolygon: 'feature.geom.Polygon',
};

const isKey = (k: string): k is MessageKey => k in zh;

/** "coordinates[0] outer ring[3]" with the ring named in the language. */
function place(at: unknown, t: T): string {
  return String(at ?? '').replace(/ outer ring/g, ` ${t('reason.outerRing')}`).replace(/ hole (\d+)/g, (_m, n: string) => ` ${t('reason.hole', { n })}`);
}

function propertyWords(def: PropertyDef | undefined, t: T, lang: Lang): Record<string, string> {
  if (!def) return {};
  const words: Record<string, string> = {};
  if (def.type === 'enum') words.allowed = def.values.map((v) => (lang === 'zh' ? def.valueLabels[v].zh : `${v} (${def.valueLabels[v].en})`)).join(lang === 'zh' ? '、' : ', ');
  if (def.type === 'number' || def.type === 'integer') {
    words.min = formatNumber(def.min, lang, 6);
    words.max = formatNumber(def.max, lang, 6);
    words.unit = def.unit ? ` ${label(def.unit, lang)}` : '';
  }
  if (def.type === 'text') {
    words.max = String(def.maxLength);
    if (def.pattern) words.hint = label(def.pattern.hint, lang);
  }
  return words;
}

export function describeReason(e: FieldError, c: CollectionDef | undefined, t: T, lang: Lang): string {
  const key = `reason.${e.code ?? ''}`;
  if (!e.code || !isKey(key)) return e.reason;
  const params = e.params ?? {};
  const def = c?.properties.find((p) => p.name === e.property);
  const labelOf = (name: unknown) => label(c?.properties.find((p) => p.name === name)?.label, lang) || String(name ?? '');
  const allowed = (c?.geometryTypes ?? []).map((g) => t(GEOMETRY_NAME[g])).filter((g, i, all) => all.indexOf(g) === i).join(t('reason.or'));
  const vars: Record<string, unknown> = {
    ...params,
    label: labelOf(e.property),
    ...(c && e.property === 'geometry' ? { allowed } : {}),
    ...propertyWords(def, t, lang),
    at: place(params.at, t),
    after: labelOf(params.after),
  };
  if (e.code === 'topology') {
    const kind = `reason.topology.${String(params.kind ?? 'other')}`;
    vars.fix = t(isKey(kind) ? kind : 'reason.topology.other', { what: params.what ?? '' });
    vars.near = params.near ? t('reason.topology.near', { near: params.near }) : '';
  }
  return t(key, vars);
}

/** Every problem of one refused feature, in one line. */
export function describeReasons(errors: FieldError[] | undefined, fallback: string, c: CollectionDef | undefined, t: T, lang: Lang): string {
  if (!errors?.length) return fallback;
  return errors.map((e) => describeReason(e, c, t, lang)).join(lang === 'zh' ? '；' : '; ');
}

const FILE_ERRORS = new Set<string>([...FILE_ERROR_CODES, 'payload_too_large']);

/**
 * Why a file cannot be imported: for the codes of server/errors.ts a sentence that points at the
 * dialog's own controls (坐标系, 属性编码), with the server's English message as the detail.
 */
export function describeFileError(e: unknown, t: T): { text: string; detail?: string } {
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof ApiError && FILE_ERRORS.has(e.code)) return { text: t(`importError.${e.code}` as MessageKey), detail: message };
  return { text: message };
}

const NOTICE_ERRORS = new Set(['after_photo_required', 'recheck_photo_required', 'recheck_no_position', 'recheck_too_far']);

/**
 * Why a notice did not move, for the refusals a field worker meets (server/notices/notices.ts):
 * the re-check photo too far from a finding (each finding by its number on the notice), without a
 * position, or missing. Anything else is shown as the server said it.
 */
export function describeNoticeError(e: unknown, findingIds: number[], t: T): string {
  const message = (e as Error)?.message ?? String(e);
  if (!(e instanceof ApiError) || !NOTICE_ERRORS.has(e.code)) return message;
  if (e.code !== 'recheck_too_far') return t(`notices.error.${e.code}` as MessageKey);
  const far = e.rawDetails as { finding_id: number; distance_m: number; fence_m: number }[];
  const list = far.map((d) => t('notices.error.farFinding', { n: findingIds.indexOf(d.finding_id) + 1, distance: d.distance_m })).join(t('notices.error.listSeparator'));
  return t('notices.error.recheck_too_far', { fence: far[0]?.fence_m ?? '', list });
}

/** Why a photo was not taken (server/photos/store.ts, routes/photos.ts), or the server's words. */
export function describePhotoError(e: unknown, t: T): string {
  const message = (e as Error)?.message ?? String(e);
  if (!(e instanceof ApiError)) return message;
  if (e.code === 'not_an_image') return t('photoError.not_an_image');
  if (e.code === 'invalid_photo') return t('photoError.invalid_photo');
  if (e.code === 'photo_too_large') return t('photoError.photo_too_large', { mb: (e.rawDetails[0] as { limit_mb?: number } | undefined)?.limit_mb ?? '?' });
  return message;
}
