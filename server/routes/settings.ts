import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { allSettings, putSetting, SETTINGS } from '../settings/settings.js';
import { appendAudit } from '../audit/log.js';
import { actorOf, forgetPublicRead } from '../auth/guard.js';

/** The analyses' rules: read them all, replace one (validated against its schema). */
export async function settingsRoutes(fastify: FastifyInstance, opts: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  app.get('/api/settings', { schema: { tags: ['settings'] } }, async () => ({ settings: await allSettings(db), schemas: SETTINGS }));
  app.put('/api/settings/:key', { schema: { tags: ['settings'], params: Type.Object({ key: Type.String({ maxLength: 100 }) }) } }, async (req) => {
    const key = req.params.key;
    // The change and its audit entry (value before and after) commit together.
    const value = await db.transaction(async (tx) => {
      const before = (await allSettings(tx))[key];
      const value = await putSetting(tx, key, req.body);
      await appendAudit(tx, actorOf(req), { action: 'settings', details: { key }, before, after: value });
      return value;
    });
    if (key === 'public_read') forgetPublicRead(db);
    return { key, value };
  });
}
