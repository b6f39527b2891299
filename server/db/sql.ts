import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SQL_DIR = fileURLToPath(new URL('../sql/', import.meta.url));
const cache = new Map<string, string>();

/** The text of server/sql/<name>.sql (read once). */
export function sqlFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${SQL_DIR}${name}.sql`, 'utf8');
    cache.set(name, text);
  }
  return text;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Checks that a name taken from the registry is a plain SQL identifier before it is spliced in. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

/**
 * Fills {{slots}} of a .sql template with fragments built from the collection registry.
 * Values never go through here: they are $n parameters.
 */
export function fillTemplate(name: string, slots: Record<string, string>): string {
  return sqlFile(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = slots[key];
    if (v === undefined) throw new Error(`template ${name} needs {{${key}}}`);
    return v;
  });
}
