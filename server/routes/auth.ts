/**
 * Sign in and out, who am I, change my password, personal API tokens. The session lives in an
 * httpOnly, SameSite=Lax cookie (Secure over HTTPS); only its hash is stored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf, SESSION_COOKIE, unauthorized } from '../auth/guard.js';
import { csrfTokenFor } from '../auth/secrets.js';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { signedInChanged } from '../auth/signed-in-cache.js';
import { createApiToken, createSession, endOtherSessions, endSession, listApiTokens, revokeApiToken } from '../auth/sessions.js';
import { clearFailures, recordFailure, refuseIfThrottled } from '../auth/throttle.js';
import { findUser, type SessionUser } from '../auth/users.js';
import { sqlFile } from '../db/sql.js';

const me = (u: SessionUser) => ({ username: u.username, role: u.role, villages: u.villages });

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, sid: string, hours: number): void {
  reply.setCookie(SESSION_COOKIE, sid, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    maxAge: hours * 3600,
  });
}

export async function authRoutes(fastify: FastifyInstance, opts: { db: Db; sessionHours: number }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, sessionHours } = opts;

  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    await refuseIfThrottled(db, username, req.ip);
    const user = await findUser(db, username);
    if (!(await verifyPassword(user?.password_hash, password))) {
      await recordFailure(db, username, req.ip);
      await appendAudit(db, null, { action: 'login_failed', details: { username, ip: req.ip } });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    if (user!.disabled) throw new HttpError(403, 'account_disabled', `the account ${username} is disabled; ask an administrator`);
    await clearFailures(db, username, req.ip);
    const sid = await createSession(db, user!.id, sessionHours);
    const signedIn: SessionUser = { id: user!.id, username: user!.username, role: user!.role, villages: user!.villages };
    await appendAudit(db, { username: signedIn.username, role: signedIn.role }, { action: 'login', details: { ip: req.ip } });
    setSessionCookie(req, reply, sid, sessionHours);
    return { user: me(signedIn), csrf_token: csrfTokenFor(sid) };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    if (req.sessionId) {
      await endSession(db, req.sessionId);
      await appendAudit(db, actorOf(req), { action: 'logout', details: { ip: req.ip } });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.code(204);
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'] } }, async (req) => ({
    user: me(req.user!),
    // Bearer clients need no CSRF token.
    csrf_token: req.sessionId ? csrfTokenFor(req.sessionId) : null,
  }));

  app.post('/api/auth/password', {
    schema: {
      tags: ['auth'],
      body: Type.Object({ current_password: Type.String({ maxLength: 256 }), new_password: Type.Unknown() }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const user = req.user!;
    // Guessing the current password through this route counts like failed logins.
    await refuseIfThrottled(db, user.username, req.ip);
    const stored = await findUser(db, user.username);
    if (!stored) throw unauthorized();
    if (!(await verifyPassword(stored.password_hash, req.body.current_password))) {
      await recordFailure(db, user.username, req.ip);
      throw badRequest('current_password is not your current password', [{ field: 'current_password', message: 'does not match' }]);
    }
    const next = checkNewPassword(req.body.new_password, 'new_password');
    if (next === req.body.current_password) throw badRequest('new_password is the same as the current one: choose a new password', [{ field: 'new_password', message: 'same as the current password' }]);
    const hash = await hashPassword(next);
    await db.transaction(async (tx) => {
      await tx.query(sqlFile('auth/user_update'), [user.username, null, null, null, hash]);
      // Other sessions (another browser, a stolen cookie) end; this one goes on.
      await endOtherSessions(tx, user.id, req.sessionId);
      await appendAudit(tx, actorOf(req), { action: 'password_change', details: { ip: req.ip } });
    });
    signedInChanged();
    reply.code(204);
  });

  app.post('/api/auth/tokens', {
    schema: {
      tags: ['auth'],
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const user = req.user!;
    const name = req.body.name.trim();
    if (!name) throw badRequest('name must not be blank: say what the token is for, e.g. "QGIS on my laptop"');
    const created = await db.transaction(async (tx) => {
      const t = await createApiToken(tx, user.id, name);
      await appendAudit(tx, actorOf(req), { action: 'token_create', details: { token_id: t.id, name } });
      return t;
    });
    reply.code(201);
    // The token is shown once; only its hash is kept.
    return { token: created.token, id: created.id, name, username: user.username };
  });

  // One's own tokens: list them (names and use, never the secret) and revoke one that leaked.
  app.get('/api/auth/tokens', { schema: { tags: ['auth'] } }, async (req) => ({ tokens: await listApiTokens(db, req.user!.id) }));

  app.delete('/api/auth/tokens/:id', { schema: { tags: ['auth'], params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }) } }, async (req, reply) => {
    const revoked = await db.transaction(async (tx) => {
      const t = await revokeApiToken(tx, req.user!.id, Number(req.params.id));
      if (t) await appendAudit(tx, actorOf(req), { action: 'token_revoke', details: { token_id: t.id, name: t.name } });
      return t;
    });
    signedInChanged();
    if (!revoked) throw notFound(`you have no API token ${req.params.id}; GET /api/auth/tokens lists yours`);
    reply.code(204);
  });
}
