/** Accounts, admin only (the guard checks the role): list, create, change role, villages, password, disabled. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { actorOf } from '../auth/guard.js';
import { checkNewUser, createUser, listUsers, updateUser, userView } from '../auth/users.js';

export async function userRoutes(fastify: FastifyInstance, opts: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  app.get('/api/users', { schema: { tags: ['users'] } }, async () => ({ users: (await listUsers(db)).map(userView) }));

  app.post('/api/users', { schema: { tags: ['users'] } }, async (req, reply) => {
    const input = checkNewUser(req.body);
    const user = await db.transaction((tx) => createUser(tx, actorOf(req), input));
    reply.code(201);
    return userView(user);
  });

  app.patch('/api/users/:username', { schema: { tags: ['users'], params: Type.Object({ username: Type.String({ maxLength: 64 }) }) } }, async (req) =>
    userView(await updateUser(db, actorOf(req), req.params.username, req.body)));
}
