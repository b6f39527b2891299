/**
 * The interface's words: every key in both languages, the same placeholders in both, nothing
 * empty, and every key the components ask for present in the catalogue (so no raw key such as
 * "analysis.setback" ever shows on screen). Layer, property and value labels come from the
 * registry and must have both languages too.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zh, en } from '../../../client/src/i18n/catalog';
import { COLLECTIONS, GARBAGE_CATEGORIES, ROAD_CLASSES } from '../../../server/collections/registry';

const SRC = fileURLToPath(new URL('../../../client/src/', import.meta.url));
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

describe('the i18n catalogue', () => {
  it('has every key in Chinese and in English', () => {
    const zhKeys = Object.keys(zh).sort();
    const enKeys = Object.keys(en).sort();
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in zh))).toEqual([]);
    expect(zhKeys.length).toBeGreaterThan(200);
  });

  it('has no empty text and the same placeholders in both languages', () => {
    for (const key of Object.keys(zh) as (keyof typeof zh)[]) {
      expect(zh[key].trim(), `zh ${key}`).not.toBe('');
      expect(en[key].trim(), `en ${key}`).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
    }
  });

  it('speaks Chinese in the Chinese table (no English sentence left untranslated)', () => {
    // Every Chinese text has a CJK character, except symbols, codes and the name of the other language.
    const allowedLatin = new Set(['lang.switch', 'lang.switchTitle', 'feature.noValue', 'feature.id']);
    for (const [key, text] of Object.entries(zh)) {
      if (allowedLatin.has(key) || !/[A-Za-z]{3,}/.test(text.replace(/\{\{\s*\w+\s*\}\}/g, '').replace(/CSV|YYYY|K\d\+\d+|S225/g, ''))) continue;
      expect(/[\u4e00-\u9fff]/.test(text), `zh ${key}: ${text}`).toBe(true);
    }
  });

  it('holds every key the components ask for', () => {
    const missing: string[] = [];
    const prefixes: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-z][\w.-]*)'/g)) if (!(m[1] in zh)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`);
      for (const m of text.matchAll(/\bt\(\s*`([a-z][\w.-]*)\$\{/g)) prefixes.push(m[1]);
      for (const m of text.matchAll(/key: '([a-z][\w-]*\.[\w.-]+)'/g)) if (!(m[1] in zh)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
    // Keys built at run time (`analysis.${kind}`): their prefix names real keys.
    expect(prefixes.length).toBeGreaterThan(3);
    for (const p of prefixes) expect(Object.keys(zh).some((k) => k.startsWith(p)), p).toBe(true);
  });

  it('has one key per analysis and per grade, in both languages', () => {
    for (const kind of ['setback', 'corridor', 'rewards', 'facilities', 'green-corridor', 'afforestation', 'patrol-coverage']) {
      expect(zh).toHaveProperty([`analysis.${kind}`]);
      expect(zh).toHaveProperty([`analysis.${kind}.desc`]);
    }
    for (const g of ['excellent', 'qualified', 'unqualified']) expect(en).toHaveProperty([`grade.${g}`]);
  });
});

describe('the registry labels', () => {
  it('name every layer, property and value in both languages', () => {
    const labels: [string, { zh: string; en: string } | undefined][] = [];
    for (const c of COLLECTIONS) {
      labels.push([c.id, c.title], [`${c.id} description`, c.description]);
      for (const p of c.properties) {
        labels.push([`${c.id}.${p.name}`, p.label]);
        if (p.unit) labels.push([`${c.id}.${p.name} unit`, p.unit]);
        if (p.type === 'enum') for (const v of p.values) labels.push([`${c.id}.${p.name}=${v}`, p.valueLabels[v]]);
      }
    }
    for (const [k, l] of Object.entries({ ...ROAD_CLASSES, ...GARBAGE_CATEGORIES })) labels.push([k, l]);
    for (const [where, l] of labels) {
      expect(l?.zh?.trim(), `${where} zh`).toBeTruthy();
      expect(l?.en?.trim(), `${where} en`).toBeTruthy();
      expect(/[\u4e00-\u9fff]/.test(l!.zh), `${where} zh is Chinese`).toBe(true);
    }
  });
});
