import { defineConfig } from 'vitest/config';

/**
 * One project per test tier (immich's layout): unit, db, api, e2e. db and api run on the engine
 * named by TEST_ENGINE (embedded by default; postgres needs DATABASE_URL and gets a scratch
 * database of its own). Their files share one database per run, so they run one after another.
 */
const serial = { fileParallelism: false, isolate: false, sequence: { concurrent: false } };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          ...serial,
        },
      },
      {
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          ...serial,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          ...serial,
        },
      },
    ],
  },
});
