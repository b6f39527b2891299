/** Between a feature's properties and the strings of its form's inputs (pure). */
import type { CollectionDef, PropertyDef } from '../../../server/collections/registry';
import { fromDateTimeInput, toDateTimeInput } from './format';
import type { FormValues } from './validate';

/** The properties a form edits: derived ones are the server's, photo lists have their own controls. */
export function formProperties(c: CollectionDef): PropertyDef[] {
  return c.properties.filter((p) => !p.readOnly && p.type !== 'ids');
}

function toText(def: PropertyDef, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (def.type === 'datetime') return toDateTimeInput(String(value));
  if (def.type === 'date') return String(value).slice(0, 10);
  return String(value);
}

export function toFormValues(c: CollectionDef, properties: Record<string, unknown> = {}): FormValues {
  return Object.fromEntries(formProperties(c).map((def) => [def.name, toText(def, properties[def.name])]));
}

/** Defaults a new feature's form starts with (the registry's defaults; dates left to the server). */
export function defaultFormValues(c: CollectionDef): FormValues {
  const values: FormValues = {};
  for (const def of formProperties(c)) {
    const d = def.type === 'enum' || def.type === 'number' || def.type === 'integer' ? def.default : undefined;
    values[def.name] = d === undefined ? '' : String(d);
  }
  return values;
}

function fromText(def: PropertyDef, text: string): unknown {
  const v = text.trim();
  if (v === '') return null;
  if (def.type === 'number' || def.type === 'integer') {
    const n = Number(v);
    // Not a number: sent as typed, so the server's message names the problem.
    return Number.isFinite(n) ? n : v;
  }
  if (def.type === 'datetime') return fromDateTimeInput(v);
  return v;
}

/**
 * Properties to send. With `original`, only the changed ones (a JSON Merge Patch); without,
 * every filled-in one (a new feature: empty values are left for the server's defaults).
 */
export function fromFormValues(c: CollectionDef, values: FormValues, original?: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of formProperties(c)) {
    const text = values[def.name] ?? '';
    if (original) {
      if (text === (original[def.name] ?? '')) continue;
      out[def.name] = fromText(def, text);
    } else if (text.trim() !== '') {
      out[def.name] = fromText(def, text);
    }
  }
  return out;
}
