import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OfficerRole, SessionRecord, Store } from '../store/index.ts';
import { ConsoleRequestError } from './console-request-error.ts';

export const sessionCookieName = 'policybot_session';

export type ConsoleEnv = { Variables: { officer: string; role: OfficerRole; session: SessionRecord } };

/** The cookie carries a random token; the store keeps only its SHA-256, so a copied database opens no sessions. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function startSession(
  context: Context,
  store: Store,
  officer: string,
  now: Date,
  hours: number,
  https = new URL(context.req.url).protocol === 'https:',
): Promise<SessionRecord> {
  const token = randomBytes(32).toString('base64url');
  const session: SessionRecord = {
    tokenHash: hashSessionToken(token),
    officer,
    created: now,
    expires: new Date(now.getTime() + hours * 3_600_000),
  };
  await store.deleteExpiredSessions(now);
  await store.createSession(session);
  setCookie(context, sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(hours * 3600),
    // Secure whenever the console is reached over HTTPS (directly, or through a trusted proxy that says so);
    // plain HTTP stays usable on a LAN or loopback.
    secure: https,
  });
  return session;
}

export async function endSession(context: Context, store: Store): Promise<void> {
  const token = getCookie(context, sessionCookieName);
  if (token) await store.deleteSession(hashSessionToken(token));
  deleteCookie(context, sessionCookieName, { path: '/' });
}

/** The live session of this request, if any; an expired one is deleted on sight. */
export async function currentSession(context: Context, store: Store, now: Date): Promise<SessionRecord | undefined> {
  const token = getCookie(context, sessionCookieName);
  if (!token) return undefined;
  const session = await store.findSession(hashSessionToken(token));
  if (!session) return undefined;
  if (session.expires.getTime() <= now.getTime()) {
    await store.deleteSession(session.tokenHash);
    return undefined;
  }
  return session;
}

/** API guard: no live session of an enabled officer, no data — 401 JSON. Sets the officer's name and role. */
export function requireSession(store: Store, clock: () => Date): MiddlewareHandler<ConsoleEnv> {
  return async (context, next) => {
    const session = await currentSession(context, store, clock());
    // The role is read on every request, so a change or a disabled account takes effect at once.
    const officer = session && (await store.findOfficer(session.officer));
    if (!session || !officer || officer.disabled) throw new ConsoleRequestError(401, 'SIGNED_OUT', '请先登录,或登录已过期');
    context.set('officer', session.officer);
    context.set('role', officer.role);
    context.set('session', session);
    await next();
  };
}

/** Guard for managing officers and the corpus: admins only — 403 JSON otherwise. */
export function requireAdmin(): MiddlewareHandler<ConsoleEnv> {
  return async (context, next) => {
    if (context.get('role') !== 'admin') throw new ConsoleRequestError(403, 'ADMIN_ONLY', '只有管理员可以管理专员账号和政策文件');
    await next();
  };
}

/**
 * CSRF guard for the cookie-authenticated API. A cross-site form can only POST form encodings, and a cross-site
 * fetch with `application/json` needs a CORS preflight this app never grants; browsers that send Sec-Fetch-Site
 * let us refuse cross-site requests outright.
 */
export function requireSameSiteJson(): MiddlewareHandler<ConsoleEnv> {
  return async (context, next) => {
    const method = context.req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      if (context.req.header('sec-fetch-site') === 'cross-site') {
        throw new ConsoleRequestError(403, 'CROSS_SITE', '拒绝跨站请求');
      }
      const type = context.req.header('content-type') ?? '';
      if (method === 'POST' && !/^application\/json\s*(;|$)/i.test(type)) {
        throw new ConsoleRequestError(415, 'JSON_REQUIRED', '请求须为 application/json');
      }
    }
    await next();
  };
}
