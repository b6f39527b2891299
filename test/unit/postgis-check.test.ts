import { describe, it, expect } from 'vitest';
import { ensurePostgis } from '../../server/db/postgres.js';

/** A fake pool answering by the first words of each statement. */
function fakePool(answers: { installed: boolean; available: boolean; mayCreate: boolean }) {
  const calls: string[] = [];
  return {
    calls,
    async query(text: string) {
      calls.push(text);
      if (text.includes('FROM pg_extension')) return { rowCount: answers.installed ? 1 : 0 };
      if (text.includes('pg_available_extensions')) return { rowCount: answers.available ? 1 : 0 };
      if (text.startsWith('CREATE EXTENSION')) {
        if (!answers.available) throw new Error('could not open extension control file "postgis.control"');
        if (!answers.mayCreate) throw new Error('permission denied to create extension "postgis"');
        return { rowCount: 0 };
      }
      throw new Error(`unexpected ${text}`);
    },
  };
}

describe('PostGIS on a real PostgreSQL', () => {
  it('does nothing when the extension is there', async () => {
    const pool = fakePool({ installed: true, available: true, mayCreate: false });
    await ensurePostgis(pool, 'h:5432/db');
    expect(pool.calls).toHaveLength(1);
  });
  it('creates it when it may', async () => {
    const pool = fakePool({ installed: false, available: true, mayCreate: true });
    await ensurePostgis(pool, 'h:5432/db');
    expect(pool.calls.some((c) => c.startsWith('CREATE EXTENSION'))).toBe(true);
  });
  it('names the package to install when the server lacks PostGIS', async () => {
    await expect(ensurePostgis(fakePool({ installed: false, available: false, mayCreate: true }), 'h:5432/db'))
      .rejects.toThrow(/PostGIS is not installed on the PostgreSQL server at h:5432\/db: install it \(Debian: apt-get install postgresql-15-postgis-3\)/);
  });
  it('names the SQL to run when this role may not create it', async () => {
    await expect(ensurePostgis(fakePool({ installed: false, available: true, mayCreate: false }), 'h:5432/db'))
      .rejects.toThrow(/run "CREATE EXTENSION postgis;" in that database as its owner or a superuser/);
  });
});
