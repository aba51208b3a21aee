import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { projectRoot, type Config } from '../app/config.ts';
import { createLogger, describeError, type Logger } from '../logger.ts';
import { DeskError, type Desk, type DeskErrorCode } from '../desk/index.ts';
import type { Store } from '../store/index.ts';
import { createApiRoutes, type ApiDependencies } from './api-routes.ts';
import { ConsoleRequestError, type ConsoleErrorCode, type ConsoleStatus } from './console-request-error.ts';
import type { CorpusAdmin } from './corpus-admin.ts';
import { maximumUploadBytes } from './corpus-routes.ts';
import type { CorpusView } from './corpus-view.ts';
import { requestOrigin } from './forwarded.ts';
import { labelsDataBlock } from './labels.ts';
import { seedOfficer } from './officers.ts';
import { decoyHash, verifyPassword } from './password-hash.ts';
import { currentSession, requireSameSiteJson, requireSession, startSession, type ConsoleEnv } from './session-auth.ts';
import { defaultSignInLimit, signInLockout, type SignInLimit } from './sign-in-limiter.ts';
import type { StatusSource } from './system-status.ts';

export interface ConsoleAppOptions {
  store: Store;
  desk: Desk;
  corpus: CorpusView;
  /** Lets admins upload documents and correct clauses; without it the corpus is read-only here. */
  corpusAdmin?: CorpusAdmin;
  /** Feeds the status panel (channels, corpus and index). */
  status?: StatusSource;
  config: Pick<Config, 'sessionHours' | 'officerSeed' | 'maxQuestionChars' | 'debug'> & Partial<Pick<Config, 'trustedProxies'>>;
  clock?: () => Date;
  signInLimit?: SignInLimit;
  /** Policy matching routes (conditions, corrections, matching form, subscriptions). */
  matching?: ApiDependencies['matching'];
  /** Where unexpected errors go; standard error by default. */
  logger?: Logger;
}

// From the sources whether this runs from them or from dist/ (which holds only JavaScript).
const publicDirectory = path.join(projectRoot, 'bot', 'console', 'public');
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The officers' console: sign-in, the exchange log and reviews, the hand-off queue, the corpus browser and
 * overview charts, as one vanilla-JS page over a JSON API. It claims only `/`, `/sign-in`, `/assets/*` and
 * `/api/*`, so it can be mounted beside the channels' webhooks with `app.route('/', consoleApp)`.
 * @example serve({ fetch: createConsoleApp({ store, desk, corpus, config }).fetch, port: config.port });
 */
export function createConsoleApp(options: ConsoleAppOptions): Hono<ConsoleEnv> {
  const { store, desk, corpus, config } = options;
  const clock = options.clock ?? (() => new Date());
  const limit = options.signInLimit ?? defaultSignInLimit;
  const logger = options.logger ?? createLogger({ name: 'console' });
  // Sign-in waits for the seed; a bad seed (password too short) is reported, not left as an unhandled rejection.
  const seeded = seedOfficer(store, config.officerSeed, clock()).catch((error: Error) => {
    logger.error(`POLICYBOT_OFFICER 未能创建：${error.message}`);
  });
  const assets = readAssets();
  const app = new Hono<ConsoleEnv>();

  for (const route of ['/', '/sign-in', '/assets/*', '/api/*']) app.use(route, securityHeaders);

  // One error boundary: refusals (HTTPException: ours carry a code) and the desk's errors become the JSON error the
  // page shows; anything else is logged, not leaked.
  app.onError((error, context) => {
    if (error instanceof ConsoleRequestError) return errorJson(context, error.status, error.code, error.message);
    // Hono's own refusal from a middleware used without an onError of ours (none is, today): as Hono renders it.
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof DeskError) return errorJson(context, deskStatus[error.code], error.code, deskMessages[error.code]);
    logger.error('控制台请求出错', { path: context.req.path, error: config.debug ? { ...describeError(error), stack: error.stack } : describeError(error) });
    return errorJson(context, 500, 'INTERNAL', '服务器出错,请稍后再试');
  });

  const tooLarge = () => {
    throw new ConsoleRequestError(413, 'TOO_LARGE', '请求内容过大');
  };
  const smallBodies = bodyLimit({ maxSize: 256 * 1024, onError: tooLarge });
  // An uploaded document travels as base64 in JSON: 4/3 of the file, plus the other fields.
  const uploads = bodyLimit({ maxSize: Math.ceil((maximumUploadBytes * 4) / 3) + 64 * 1024, onError: tooLarge });
  app.use('/api/*', (context, next) => (context.req.method === 'POST' && context.req.path.endsWith('/api/documents') ? uploads : smallBodies)(context, next));
  app.use('/api/*', requireSameSiteJson());

  app.post('/api/session', async (context) => {
    await seeded;
    const body = (await context.req.json().catch(() => ({}))) as { name?: unknown; password?: unknown };
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!name || !password) throw new ConsoleRequestError(400, 'BAD_REQUEST', '请输入用户名和密码');
    const origin = requestOrigin(context, config.trustedProxies ?? []);
    const address = origin.address;
    const now = clock();
    const lockout = await signInLockout(store, name, address, now, limit);
    // One attempt at a time per name, on every worker and from every address: parallel guesses would all pass the
    // counts before any is logged. The claim is in the store, so guesses spread over several workers wait their turn too.
    const key = `sign-in:${JSON.stringify([name])}`;
    if (lockout || !(await store.claim(key, now, new Date(now.getTime() + 60_000)))) {
      context.header('retry-after', String(lockout?.retryAfterSeconds ?? 1));
      const minutes = Math.ceil((lockout?.retryAfterSeconds ?? 0) / 60);
      throw new ConsoleRequestError(
        429,
        'TOO_MANY_ATTEMPTS',
        !lockout
          ? '上一次登录尚在验证,请稍候'
          : lockout.scope === 'address'
            ? `密码错误次数过多,请 ${minutes} 分钟后再试`
            : `该账号密码错误次数过多,已暂时锁定,请 ${minutes} 分钟后再试`,
      );
    }
    let succeeded: boolean;
    try {
      const officer = await store.findOfficer(name);
      succeeded = (await verifyPassword(password, officer?.passwordHash ?? decoyHash)) && officer !== undefined;
      await store.recordSignInAttempt({ name, address, time: now, succeeded });
    } finally {
      await store.releaseClaim(key);
    }
    if (!succeeded) throw new ConsoleRequestError(401, 'BAD_CREDENTIALS', '用户名或密码不正确');
    // Said only after the right password, so it does not reveal which names exist.
    if ((await store.findOfficer(name))?.disabled) throw new ConsoleRequestError(403, 'OFFICER_DISABLED', '该账号已停用,请联系管理员');
    const session = await startSession(context, store, name, now, config.sessionHours, origin.https);
    return context.json({ officer: name, expires: session.expires.toISOString() });
  });

  app.use('/api/*', requireSession(store, clock));
  app.route(
    '/api',
    createApiRoutes({
      store,
      desk,
      corpus,
      corpusAdmin: options.corpusAdmin,
      status: options.status,
      config,
      clock,
      matching: options.matching,
    }),
  );

  // Pages. Redirects are relative so the console also works when mounted under a prefix.
  app.get('/', async (context) => {
    if (!(await currentSession(context, store, clock()))) return context.redirect('sign-in', 302);
    return page(context, assets, 'index.html');
  });
  app.get('/sign-in', async (context) => {
    if (await currentSession(context, store, clock())) return context.redirect('./', 302);
    return page(context, assets, 'sign-in.html');
  });
  // Code and styles only, no data: served without a session so the sign-in page can use them.
  app.get('/assets/:file', (context) => page(context, assets, context.req.param('file')));

  return app;
}

const securityHeaders: MiddlewareHandler = async (context, next) => {
  await next();
  context.header(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  context.header('x-content-type-options', 'nosniff');
  context.header('referrer-policy', 'same-origin');
  context.header('x-frame-options', 'DENY');
  if (!context.res.headers.has('cache-control')) context.header('cache-control', 'no-store');
};

const deskStatus: Record<DeskErrorCode, ConsoleStatus> = {
  EXCHANGE_NOT_FOUND: 404,
  HANDOFF_NOT_FOUND: 404,
  HANDOFF_ANSWERED: 409,
  HANDOFF_CLOSED: 409,
  CHANNEL_UNAVAILABLE: 503,
  DELIVERY_FAILED: 502,
  NOT_ASKER: 403,
};
const deskMessages: Record<DeskErrorCode, string> = {
  EXCHANGE_NOT_FOUND: '找不到该问答记录',
  HANDOFF_NOT_FOUND: '找不到该转人工记录',
  HANDOFF_ANSWERED: '该转人工已由其他专员回复',
  HANDOFF_CLOSED: '该转人工已关闭或忽略,不能再回复',
  CHANNEL_UNAVAILABLE: '该渠道当前未运行,回复未发送,转人工仍待处理',
  DELIVERY_FAILED: '回复发送失败,转人工仍待处理,请稍后重试',
  NOT_ASKER: '只有提问人可以评价这条回答',
};

function errorJson(context: Context, status: ConsoleStatus | 500, code: ConsoleErrorCode | DeskErrorCode | 'INTERNAL', message: string): Response {
  return context.json({ error: { code, message } }, status);
}

/** The peer address; behind a reverse proxy this is the proxy, so the limit is then per name only. */
interface Asset {
  body: string;
  type: string;
}

function readAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of readdirSync(publicDirectory)) {
    const type = contentTypes[path.extname(file)];
    if (type) assets.set(file, { body: readFileSync(path.join(publicDirectory, file), 'utf8'), type });
  }
  // The page's words for the API's values, from the server's own (labels.ts), so they are written once.
  const index = assets.get('index.html');
  if (index) index.body = index.body.replace('<!-- console-labels -->', labelsDataBlock());
  return assets;
}

function page(context: Context, assets: Map<string, Asset>, file: string): Response {
  const asset = assets.get(file);
  if (!asset) return context.text('Not found', 404);
  return context.body(asset.body, 200, { 'content-type': asset.type });
}
