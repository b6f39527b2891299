/**
 * How values are shown: labels for codes, units (米, 吨, 亩), dates in Asia/Shanghai, lengths and
 * areas from measuring. Pure functions of the value and the language.
 */
import type { CollectionDef, Label, PropertyDef } from '../../../server/collections/registry';

export type Lang = 'zh' | 'en';

export const SQ_M_PER_MU = 10000 / 15;

export function label(l: Label | undefined, lang: Lang): string {
  return l ? l[lang] : '';
}

const EMPTY = '—';

function number(n: number, lang: Lang, maxFractionDigits = 2): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: maxFractionDigits });
}

/** A number with at most `maxFractionDigits` decimals and the language's digit grouping. */
export function formatNumber(n: number, lang: Lang, maxFractionDigits = 2): string {
  return number(n, lang, maxFractionDigits);
}

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8, no daylight saving) for an RFC 3339 instant. */
export function shanghaiDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Value for an <input type="datetime-local">, in Asia/Shanghai. */
export function toDateTimeInput(iso: string | null | undefined): string {
  return iso ? shanghaiDateTime(iso).replace(' ', 'T') : '';
}

/** Back from an <input type="datetime-local"> (read in Asia/Shanghai) to RFC 3339. */
export function fromDateTimeInput(value: string): string | null {
  if (!value) return null;
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

/** A property's value as text with its unit, or '—' when empty. */
export function formatValue(c: CollectionDef, def: PropertyDef, value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  switch (def.type) {
    case 'enum':
      return def.valueLabels[String(value)]?.[lang] ?? String(value);
    case 'number':
    case 'integer': {
      const n = Number(value);
      if (!Number.isFinite(n)) return String(value);
      const text = def.type === 'integer' && def.name === 'year' ? String(n) : number(n, lang);
      return def.unit ? `${text} ${def.unit[lang]}` : text;
    }
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime':
      return shanghaiDateTime(String(value));
    case 'ids':
      return Array.isArray(value) ? (value.length ? value.map((v) => `#${v}`).join(', ') : EMPTY) : String(value);
    case 'text': {
      const known = c.knownCodes?.property === def.name ? c.knownCodes.labels[String(value)] : undefined;
      return known ? known[lang] : String(value);
    }
  }
}

/** A length in metres as 米/m below a kilometre, 公里/km above. */
export function formatDistance(m: number, lang: Lang): string {
  if (m < 1000) return `${number(Math.round(m), lang)} ${lang === 'zh' ? '米' : 'm'}`;
  return `${number(m / 1000, lang, m < 10_000 ? 3 : 2)} ${lang === 'zh' ? '公里' : 'km'}`;
}

/** An area in square metres with its size in 亩 (and km² when large). */
export function formatArea(m2: number, lang: Lang): string {
  const mu = m2 / SQ_M_PER_MU;
  const muText = `${number(mu, lang, mu < 10 ? 2 : 1)} ${lang === 'zh' ? '亩' : 'mu'}`;
  const sq = m2 < 1_000_000
    ? `${number(Math.round(m2), lang)} ${lang === 'zh' ? '平方米' : 'm²'}`
    : `${number(m2 / 1_000_000, lang, 3)} ${lang === 'zh' ? '平方公里' : 'km²'}`;
  return `${muText} · ${sq}`;
}

export function formatLngLat(lng: number, lat: number): string {
  const ew = lng >= 0 ? 'E' : 'W';
  const ns = lat >= 0 ? 'N' : 'S';
  return `${Math.abs(lng).toFixed(5)}°${ew}  ${Math.abs(lat).toFixed(5)}°${ns}`;
}

/** A count such as 2,400 or 2 400 in the language's style. */
export function formatCount(n: number, lang: Lang): string {
  return number(n, lang, 0);
}
