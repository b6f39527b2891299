/**
 * Checks a form's values against the registry before they are sent, with messages in the
 * user's language. The server checks again (and its 422 reasons are shown the same way).
 */
import type { CollectionDef, PropertyDef } from '../../../server/collections/registry';
import type { Lang } from './format';

export type FormValues = Record<string, string>;

const msg = {
  required: { zh: '必填', en: 'Required' },
  number: { zh: '请输入数字', en: 'Enter a number' },
  integer: { zh: '请输入整数', en: 'Enter a whole number' },
  range: { zh: (min: number, max: number, u: string) => `应在 ${min} 到 ${max}${u} 之间`, en: (min: number, max: number, u: string) => `Must be between ${min} and ${max}${u}` },
  maxLength: { zh: (n: number) => `最多 ${n} 个字符`, en: (n: number) => `At most ${n} characters` },
  pattern: { zh: '格式不正确', en: 'Wrong format' },
  date: { zh: '请输入日期', en: 'Enter a date' },
  enum: { zh: '请从列表中选择', en: 'Choose from the list' },
};

export function checkValue(def: PropertyDef, raw: string, lang: Lang): string | undefined {
  const value = raw.trim();
  if (value === '') return def.required ? msg.required[lang] : undefined;
  switch (def.type) {
    case 'number':
    case 'integer': {
      const n = Number(value);
      if (!Number.isFinite(n)) return msg.number[lang];
      if (def.type === 'integer' && !Number.isInteger(n)) return msg.integer[lang];
      if (n < def.min || n > def.max) return msg.range[lang](def.min, def.max, def.unit ? ` ${def.unit[lang]}` : '');
      return undefined;
    }
    case 'text':
      if (value.length > def.maxLength) return msg.maxLength[lang](def.maxLength);
      if (def.pattern && !new RegExp(def.pattern.regex).test(value)) return `${msg.pattern[lang]}: ${def.pattern.hint[lang]}`;
      return undefined;
    case 'enum':
      return def.values.includes(value) ? undefined : msg.enum[lang];
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : msg.date[lang];
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? undefined : msg.date[lang];
  }
}

/** Property → message for every value that cannot be sent. */
export function validateForm(c: CollectionDef, values: FormValues, lang: Lang): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const def of c.properties) {
    const e = checkValue(def, values[def.name] ?? '', lang);
    if (e) errors[def.name] = e;
  }
  return errors;
}
