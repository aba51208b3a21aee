import { Hono } from 'hono';
import { officerRoles, type OfficerRecord, type OfficerRole, type Store } from '../store/index.ts';
import { auditJson, officerJson, type AuditJson, type OfficerChangeJson, type PageJson } from './api-json.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import { minimumPasswordLength, temporaryPassword } from './officers.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { jsonBody, text } from './request-body.ts';
import { requireAdmin, type ConsoleEnv } from './session-auth.ts';

/**
 * Officers' accounts, managed by admins: list, add (a one-time password is shown once), change role, disable
 * (signed out at once) and enable, reset a password; and the audit trail. Any officer may change their own password.
 * There is always at least one enabled admin, and nobody disables themselves.
 */
export function createOfficerRoutes({ store, clock }: { store: Store; clock: () => Date }): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();

  routes.post('/me/password', async (context) => {
    const body = await jsonBody(context);
    const officer = await store.findOfficer(context.get('officer'));
    const current = typeof body.current === 'string' ? body.current : '';
    const next = typeof body.password === 'string' ? body.password : '';
    if (!officer || !(await verifyPassword(current, officer.passwordHash))) throw new ConsoleRequestError(403, 'BAD_CREDENTIALS', '当前密码不正确');
    if (next.length < minimumPasswordLength) throw new ConsoleRequestError(400, 'WEAK_PASSWORD', `新密码至少 ${minimumPasswordLength} 个字符`);
    await store.updateOfficer(officer.name, { passwordHash: await hashPassword(next) });
    await store.recordAudit({ time: clock(), officer: officer.name, action: 'officer.password', target: officer.name, details: {} });
    return context.json({ changed: true });
  });

  // Exact paths: these routes are mounted at the API's root beside everyone's routes.
  for (const path of ['/officers', '/officers/*', '/audit']) routes.use(path, requireAdmin());

  routes.get('/officers', async (context) => context.json({ items: (await store.listOfficers()).map(officerJson) }));

  routes.post('/officers', async (context) => {
    const body = await jsonBody(context);
    const name = text(body.name, 64);
    if (!name || /[\s:]/.test(name)) throw new ConsoleRequestError(400, 'BAD_NAME', '用户名须为 1–64 个字符,不含空格和冒号');
    const role = roleOf(body.role);
    if (await store.findOfficer(name)) throw new ConsoleRequestError(409, 'OFFICER_EXISTS', `已有名为“${name}”的账号`);
    const password = temporaryPassword();
    const time = clock();
    await store.saveOfficer({ name, passwordHash: await hashPassword(password), created: time, role });
    await store.recordAudit({ time, officer: context.get('officer'), action: 'officer.add', target: name, details: { role } });
    return context.json({ officer: officerJson((await store.findOfficer(name))!), password } satisfies OfficerChangeJson, 201);
  });

  routes.post('/officers/:name/role', async (context) => {
    const officer = await officerOr404(store, context.req.param('name'));
    const role = roleOf((await jsonBody(context)).role);
    if (officer.role === 'admin' && role !== 'admin') await keepAnAdmin(store, officer.name);
    await store.updateOfficer(officer.name, { role });
    await store.recordAudit({
      time: clock(),
      officer: context.get('officer'),
      action: 'officer.role',
      target: officer.name,
      details: { before: officer.role, after: role },
    });
    return context.json({ officer: officerJson((await store.findOfficer(officer.name))!) } satisfies OfficerChangeJson);
  });

  routes.post('/officers/:name/disable', async (context) => {
    const officer = await officerOr404(store, context.req.param('name'));
    if (officer.name === context.get('officer')) throw new ConsoleRequestError(409, 'DISABLE_SELF', '不能停用自己的账号');
    if (officer.role === 'admin') await keepAnAdmin(store, officer.name);
    const time = clock();
    await store.updateOfficer(officer.name, { disabled: { by: context.get('officer'), time } });
    await store.deleteSessionsOf(officer.name);
    await store.recordAudit({ time, officer: context.get('officer'), action: 'officer.disable', target: officer.name, details: {} });
    return context.json({ officer: officerJson((await store.findOfficer(officer.name))!) } satisfies OfficerChangeJson);
  });

  routes.post('/officers/:name/enable', async (context) => {
    const officer = await officerOr404(store, context.req.param('name'));
    await store.updateOfficer(officer.name, { disabled: null });
    await store.recordAudit({ time: clock(), officer: context.get('officer'), action: 'officer.enable', target: officer.name, details: {} });
    return context.json({ officer: officerJson((await store.findOfficer(officer.name))!) } satisfies OfficerChangeJson);
  });

  routes.post('/officers/:name/password', async (context) => {
    const officer = await officerOr404(store, context.req.param('name'));
    const password = temporaryPassword();
    await store.updateOfficer(officer.name, { passwordHash: await hashPassword(password) });
    // A reset password means the old one may be known to someone else: end its sessions.
    await store.deleteSessionsOf(officer.name);
    await store.recordAudit({ time: clock(), officer: context.get('officer'), action: 'officer.reset_password', target: officer.name, details: {} });
    return context.json({ officer: officerJson(officer), password } satisfies OfficerChangeJson);
  });

  routes.get('/audit', async (context) => {
    const page = Math.max(1, Number(context.req.query('page')) || 1);
    const pageSize = 50;
    const result = await store.listAudit({ limit: pageSize, offset: (page - 1) * pageSize });
    return context.json({ total: result.total, page, page_size: pageSize, items: result.items.map(auditJson) } satisfies PageJson<AuditJson>);
  });

  return routes;
}

function roleOf(value: unknown): OfficerRole {
  if (value === undefined) return 'officer';
  if (typeof value !== 'string' || !officerRoles.includes(value as OfficerRole))
    throw new ConsoleRequestError(400, 'BAD_ROLE', '角色须为 officer(专员)或 admin(管理员)');
  return value as OfficerRole;
}

async function officerOr404(store: Store, name: string): Promise<OfficerRecord> {
  const officer = await store.findOfficer(name);
  if (!officer) throw new ConsoleRequestError(404, 'NOT_FOUND', `没有名为“${name}”的账号`);
  return officer;
}

/** Refuses a change that would leave no enabled admin to manage the console. */
async function keepAnAdmin(store: Store, losing: string): Promise<void> {
  const others = (await store.listOfficers()).filter((officer) => officer.role === 'admin' && !officer.disabled && officer.name !== losing);
  if (others.length === 0) throw new ConsoleRequestError(409, 'LAST_ADMIN', '至少须保留一名可用的管理员');
}
