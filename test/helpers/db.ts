/**
 * The database of a db/api test run: one per worker (the tiers run their files in one worker),
 * migrated once; tests reset the tables they use with resetData().
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrate.js';
import { COLLECTIONS } from '../../server/collections/registry.js';

let shared: Promise<Db> | undefined;
/** The settings as the migrations left them, restored by resetData(). */
let defaultSettings: { key: string; value: unknown }[] = [];

export function engineUnderTest(): 'embedded' | 'postgres' {
  return inject('databaseUrl') ? 'postgres' : 'embedded';
}

/** A fresh database of the engine under test (embedded: a temp DATA_DIR). */
export async function openFreshDb(): Promise<Db> {
  const url = inject('databaseUrl');
  const db = url ? await openDatabase({ databaseUrl: url, dataDir: '' }) : await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'remap-test-')) });
  await migrate(db);
  return db;
}

export function testDb(): Promise<Db> {
  shared ??= openFreshDb().then(async (db) => {
    defaultSettings = (await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings')).rows;
    return db;
  });
  return shared;
}

/**
 * Empties every collection and what hangs off them (ids restart at 1), the accounts and the audit
 * log (its append-only trigger is switched off for this one TRUNCATE, as its owner may), and
 * restores the settings.
 */
export async function resetData(db: Db): Promise<void> {
  await db.exec(`TRUNCATE ${COLLECTIONS.map((c) => c.table).join(', ')} RESTART IDENTITY CASCADE; DELETE FROM app_meta;`);
  await db.exec('TRUNCATE status_events, photos RESTART IDENTITY CASCADE;');
  await db.exec(`TRUNCATE users, sessions, api_tokens, login_failures RESTART IDENTITY CASCADE;
    ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate;
    TRUNCATE audit_log RESTART IDENTITY;
    ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate;`);
  await db.query('DELETE FROM settings');
  for (const s of defaultSettings) await db.query('INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)', [s.key, JSON.stringify(s.value)]);
}
