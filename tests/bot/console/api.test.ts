import { serve } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Question } from '../../../bot/core/answer.ts';
import { officerReplyMark, reviewedMark } from '../../../bot/desk/desk.ts';
import { officerName, officerPassword, startConsoleServer, type ConsoleServer } from './console-server.ts';

let server: ConsoleServer;
beforeEach(async () => {
  server = await startConsoleServer();
});
afterEach(async () => {
  await server.close();
});

function request(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${server.url}${path}`, {
    ...init,
    headers,
    redirect: 'manual',
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

function signIn(name = officerName, password = officerPassword): Promise<Response> {
  return request('/api/session', { method: 'POST', json: { name, password } });
}

async function session(): Promise<string> {
  const response = await signIn();
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

async function json<T = any>(response: Response): Promise<T> {
  return response.json() as Promise<T>;
}

function question(text: string, overrides: Partial<Question> = {}): Question {
  return { text, channel: 'wecom-bot', chatId: 'room-7', userId: 'zhang', messageId: 'm-1', ...overrides };
}

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await signIn();
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^policybot_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const me = await request('/api/me', { cookie: cookie.split(';')[0] });
    expect(await json(me)).toMatchObject({ officer: officerName });
    // The database keeps a hash, never the token itself.
    const token = cookie.split(';')[0]?.split('=')[1] ?? '';
    const stored = server.store.database.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toBe(token);
  });

  it('refuses a wrong password or an unknown name with the same answer and no cookie', async () => {
    for (const response of [await signIn(officerName, 'wrong password!'), await signIn('李四', officerPassword)]) {
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await json(response)).toEqual({ error: { code: 'BAD_CREDENTIALS', message: '用户名或密码不正确' } });
    }
  });

  it('locks a name out for 15 minutes after 5 wrong passwords from one address, even for the right password', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await signIn(officerName, `guess-${attempt}-xxxx`)).status).toBe(401);
    const locked = await signIn();
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect((await json(locked)).error.code).toBe('TOO_MANY_ATTEMPTS');
    // Another name from the same address is not affected.
    expect((await signIn('李四', 'whatever-password')).status).toBe(401);
    server.now.value = new Date(server.now.value.getTime() + 15 * 60_000 + 1);
    expect((await signIn()).status).toBe(200);
  });

  it('signs in the officer seeded from POLICYBOT_OFFICER', async () => {
    const seeded = await startConsoleServer({ officerSeed: { name: '李强', password: 'seeded passphrase' } });
    try {
      const response = await fetch(`${seeded.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '李强', password: 'seeded passphrase' }),
      });
      expect(await json(response)).toMatchObject({ officer: '李强' });
    } finally {
      await seeded.close();
    }
  });

  it('lets parallel guesses through one at a time', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => signIn(officerName, `parallel-guess-${index}`)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    const since = new Date(server.now.value.getTime() - 60_000);
    expect(await server.store.countFailedSignInAttempts(officerName, '127.0.0.1', since)).toBeLessThanOrEqual(5);
  });

  it('ends a session at sign-out and when it expires', async () => {
    const first = await session();
    expect((await request('/api/session', { method: 'DELETE', cookie: first })).status).toBe(200);
    expect((await request('/api/me', { cookie: first })).status).toBe(401);

    const second = await session();
    server.now.value = new Date(server.now.value.getTime() + 12 * 3_600_000 - 1);
    expect((await request('/api/me', { cookie: second })).status).toBe(200);
    server.now.value = new Date(server.now.value.getTime() + 1);
    const expired = await request('/api/exchanges', { cookie: second });
    expect(expired.status).toBe(401);
    expect(await json(expired)).toEqual({ error: { code: 'SIGNED_OUT', message: '请先登录,或登录已过期' } });
    const page = await request('/', { cookie: second });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('sign-in');
  });
});

describe('signed out', () => {
  it('answers 401 JSON without data on every API route, and redirects pages to sign-in', async () => {
    await server.desk.ask(question('稳岗返还比例是多少?'));
    const routes = server.app.routes.filter(
      (route) => route.path.startsWith('/api/') && route.method !== 'ALL' && !(route.method === 'POST' && route.path === '/api/session'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const cookie of [undefined, 'policybot_session=forged-token']) {
      for (const route of routes) {
        const path = route.path.replace(/:id/g, '1');
        const response = await request(path, { method: route.method, cookie, json: route.method === 'POST' ? {} : undefined });
        expect({ route: `${route.method} ${path}`, status: response.status }).toEqual({ route: `${route.method} ${path}`, status: 401 });
        const body = await response.text();
        expect(JSON.parse(body)).toEqual({ error: { code: 'SIGNED_OUT', message: '请先登录,或登录已过期' } });
      }
    }
    const page = await request('/');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('sign-in');
    expect((await request('/sign-in')).status).toBe(200);
  });

  it('refuses cross-site and non-JSON posts even with a session', async () => {
    const cookie = await session();
    const form = await request('/api/ask', {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'question=x',
    });
    expect(form.status).toBe(415);
    expect(await json(form)).toEqual({ error: { code: 'JSON_REQUIRED', message: '请求须为 application/json' } });
    const crossSite = await request('/api/ask', { method: 'POST', cookie, json: { question: 'x' }, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(await json(crossSite)).toEqual({ error: { code: 'CROSS_SITE', message: '拒绝跨站请求' } });
    // Past the API's 256 KB: refused by the body limit before the route reads it, in the same JSON as every refusal.
    const large = await request('/api/ask', { method: 'POST', cookie, json: { question: '问'.repeat(100_000) } });
    expect(large.status).toBe(413);
    expect(await json(large)).toEqual({ error: { code: 'TOO_LARGE', message: '请求内容过大' } });
    expect((await server.store.listExchanges({})).total).toBe(0);
  });

  it("counts a question's length as the chats do: 600 emoji are 600 characters", async () => {
    const cookie = await session();
    const refused = await request('/api/ask', { method: 'POST', cookie, json: { question: '👍'.repeat(600) } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('问题太长了（600字），请控制在500字以内');
    expect((await request('/api/ask', { method: 'POST', cookie, json: { question: `稳岗返还比例是多少?${'👍'.repeat(400)}` } })).status).toBe(200);
  });
});

describe('mounted beside the channels', () => {
  it('leaves other routes of the parent app alone and keeps its own error answers', async () => {
    // How the server mounts it: app.route('/', consoleApp) on the app that also takes the webhooks.
    const parent = new Hono();
    parent.post('/telegram/webhook', (context) => context.text('ok'));
    parent.route('/', server.app);
    const mounted = serve({ fetch: parent.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => mounted.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(mounted.address() as AddressInfo).port}`;
    try {
      const webhook = await fetch(`${base}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
      expect(await webhook.text()).toBe('ok');
      expect(webhook.headers.get('content-security-policy')).toBeNull();
      const signedOut = await fetch(`${base}/api/me`);
      expect(signedOut.status).toBe(401);
      expect((await json(signedOut)).error.code).toBe('SIGNED_OUT');
      const cookie = await session();
      const form = await fetch(`${base}/api/ask`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: 'x' });
      expect(form.status).toBe(415);
      expect((await json(form)).error.code).toBe('JSON_REQUIRED');
    } finally {
      await new Promise<void>((resolve) => mounted.close(() => resolve()));
    }
  });
});

describe('log and reviews', () => {
  async function seedLog(): Promise<number[]> {
    const ids: number[] = [];
    const at = (iso: string) => {
      server.now.value = new Date(iso);
    };
    at('2025-03-01T02:00:00Z');
    ids.push((await server.desk.handle(question('稳岗返还比例是多少?'))).exchange.id);
    at('2025-03-02T02:00:00Z');
    ids.push((await server.desk.handle(question('明天天气怎么样?', { channel: 'telegram', chatId: '42' }))).exchange.id);
    at('2025-03-03T02:00:00Z');
    ids.push((await server.desk.handle(question('工会经费能返还吗?', { channel: 'telegram', chatId: '43' }))).exchange.id);
    return ids;
  }

  it('lists exchanges newest first and filters by channel, dates, document, department, verdict, refusal and text', async () => {
    const [first, refused, third] = await seedLog();
    const cookie = await session();
    await request(`/api/exchanges/${first}/reviews`, { method: 'POST', cookie, json: { verdict: 'wrong', note: '比例有误' } });
    const ids = async (query: string): Promise<number[]> => {
      const response = await request(`/api/exchanges${query}`, { cookie });
      expect(response.status).toBe(200);
      return (await json(response)).items.map((item: { id: number }) => item.id);
    };
    expect(await ids('')).toEqual([third, refused, first]);
    expect(await ids('?channel=telegram')).toEqual([third, refused]);
    expect(await ids('?from=2025-03-02&to=2025-03-02')).toEqual([refused]);
    expect(await ids('?doc=000')).toEqual([third, first]);
    expect(await ids(`?department=${encodeURIComponent('市人力资源社会保障局')}`)).toEqual([third, first]);
    expect(await ids('?verdict=wrong')).toEqual([first]);
    expect(await ids('?verdict=unreviewed')).toEqual([third, refused]);
    expect(await ids('?refused=1')).toEqual([refused]);
    expect(await ids(`?q=${encodeURIComponent('工会')}`)).toEqual([third]);
    const page = await json(await request('/api/exchanges?page=2&page_size=2', { cookie }));
    expect(page).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(page.items.map((item: { id: number }) => item.id)).toEqual([first]);
    const listed = (await json(await request('/api/exchanges?verdict=wrong', { cookie }))).items[0];
    expect(listed).toMatchObject({ channel: 'wecom-bot', chat_id: 'room-7', verdict: 'wrong', latest_review: { reviewer: officerName, note: '比例有误' } });
    expect((await request('/api/exchanges?from=2025-02-30', { cookie })).status).toBe(400);
    expect((await request('/api/exchanges?verdict=maybe', { cookie })).status).toBe(400);
  });

  it("shows the asker's 👍 / 👎 and 转人工 with each exchange, and lists 👎 answers first for review", async () => {
    const [first, refused, third] = await seedLog();
    // The chats' buttons come back with the reference each answer went out under, pressed by its asker.
    const press = async (id: number, kind: 'helpful' | 'unhelpful' | 'handoff', comment?: string) => {
      server.store.database.prepare('UPDATE exchanges SET reply_ref = ? WHERE id = ?').run(`ref-${id}`, id);
      const { channel, userId } = (await server.store.getExchange(id))!;
      await server.desk.recordFeedback({ channel, replyRef: `ref-${id}`, userId, kind, comment });
    };
    await press(first!, 'unhelpful', '比例不对');
    await press(refused!, 'handoff');
    await press(third!, 'helpful');
    const cookie = await session();
    const items = async (query: string) => (await json(await request(`/api/exchanges${query}`, { cookie }))).items as any[];
    expect((await items('?order=unhelpful_first')).map((item) => item.id)).toEqual([first, third, refused]);
    expect((await items('?rating=unhelpful')).map((item) => item.id)).toEqual([first]);
    const [unhelpful] = await items('?rating=unhelpful');
    expect(unhelpful.asker_feedback).toEqual({ rating: 'unhelpful', rated_at: server.now.value.toISOString(), handoff_requested: false });
    expect((await items('?refused=1'))[0].asker_feedback).toMatchObject({ rating: null, handoff_requested: true });
    const detail = await json(await request(`/api/exchanges/${first}`, { cookie }));
    expect(detail.feedback).toEqual([expect.objectContaining({ kind: 'unhelpful', comment: '比例不对', user_id: detail.exchange.user_id })]);
    expect((await request('/api/exchanges?rating=meh', { cookie })).status).toBe(400);
    expect((await request('/api/exchanges?order=oldest', { cookie })).status).toBe(400);
  });

  it('shows an exchange beside its cited clause in context', async () => {
    const [first] = await seedLog();
    const cookie = await session();
    const detail = await json(await request(`/api/exchanges/${first}`, { cookie }));
    expect(detail.exchange.question).toBe('稳岗返还比例是多少?');
    const [cited] = detail.citations;
    expect(cited.citation).toMatchObject({
      clause_label: '(二)',
      quote: expect.stringContaining('60%'),
      lead_departments: ['市人力资源社会保障局'],
      validity_status: 'expired',
    });
    expect(cited.context.path).toEqual([{ clause_label: '一、', title: '多措并举,降低民营企业生产经营成本' }]);
    expect(cited.context.previous.text).toContain('残疾人就业保障金');
    expect(cited.context.next.text).toContain('工会经费');
    expect((await request('/api/exchanges/9999', { cookie })).status).toBe(404);
  });

  it('keeps the reviewer and time, and a correction comes back from /api/ask and on every channel, marked reviewed', async () => {
    const cookie = await session();
    const asked = await json(await request('/api/ask', { method: 'POST', cookie, json: { question: '我们厂裁员率不超过20%,能拿稳岗返还吗?' } }));
    expect(asked.answer.mode).toBe('extractive');
    const corrected = '可以。裁员率不超过20%的企业可申请,中小微企业按60%返还,由市人力资源社会保障局负责。';
    const reviewed = await request(`/api/exchanges/${asked.exchange_id}/reviews`, {
      method: 'POST',
      cookie,
      json: { verdict: 'incomplete', note: '未答裁员率', corrected_answer: corrected },
    });
    expect(reviewed.status).toBe(201);
    expect(await json(reviewed)).toMatchObject({
      review: { verdict: 'incomplete', reviewer: officerName, time: server.now.value.toISOString() },
      reviewed_answer: { answer: corrected, approved_by: officerName },
    });

    const again = await json(await request('/api/ask', { method: 'POST', cookie, json: { question: '请问,我们厂裁员率不超过20%,能拿稳岗返还吗' } }));
    expect(again.answer).toMatchObject({ mode: 'reviewed', decision: 'answered' });
    expect(again.answer.answer.startsWith(`${reviewedMark}\n${corrected}\n\n出处：`)).toBe(true);
    expect(again.answer.citations[0].clause_label).toBe('(二)');
    const onWecom = await server.desk.ask(question('我们厂裁员率不超过20%,能拿稳岗返还吗'));
    expect(onWecom.mode).toBe('reviewed');
    expect(server.assistant.questions).toHaveLength(1);

    const detail = await json(await request(`/api/exchanges/${asked.exchange_id}`, { cookie }));
    expect(detail.reviews).toMatchObject([{ verdict: 'incomplete', note: '未答裁员率', corrected_answer: corrected, reviewer: officerName }]);
    expect((await request(`/api/exchanges/${asked.exchange_id}/reviews`, { method: 'POST', cookie, json: { verdict: 'maybe' } })).status).toBe(400);
  });
});

describe('hand-offs', () => {
  it('delivers the officer reply to the same chat, closes the hand-off, logs it and can save it as reviewed', async () => {
    await server.desk.ask(question('小微企业的工会经费能退吗?'));
    await server.desk.ask(question('转人工', { messageId: 'm-2' }));
    const cookie = await session();
    const queue = await json(await request('/api/handoffs', { cookie }));
    expect(queue.items).toHaveLength(1);
    const [handoff] = queue.items;
    expect(handoff).toMatchObject({ question: '小微企业的工会经费能退吗?', status: 'open', exchange: { question: '转人工', mode: 'handoff' } });
    expect(handoff.chat.map((item: { question: string }) => item.question)).toEqual(['小微企业的工会经费能退吗?', '转人工']);

    const text = '小微企业缴纳的工会经费全额返还,请联系市总工会。';
    const replied = await request(`/api/handoffs/${handoff.id}/reply`, { method: 'POST', cookie, json: { text, save_as_reviewed: true } });
    expect(replied.status).toBe(200);
    expect(server.wecom.sent).toEqual([{ chatId: 'room-7', text: `${officerReplyMark}\n${text}`, replyToMessageId: 'm-2' }]);
    expect((await json(await request('/api/handoffs', { cookie }))).items).toEqual([]);
    const log = await json(await request('/api/exchanges', { cookie }));
    expect(log.items[0]).toMatchObject({ answered_by: officerName, chat_id: 'room-7', question: '小微企业的工会经费能退吗?' });
    const later = await json(await request('/api/ask', { method: 'POST', cookie, json: { question: '小微企业的工会经费能退吗' } }));
    expect(later.answer).toMatchObject({ mode: 'reviewed', answer: `${reviewedMark}\n${text}` });

    const twice = await request(`/api/handoffs/${handoff.id}/reply`, { method: 'POST', cookie, json: { text: '再答' } });
    expect(twice.status).toBe(409);
  });

  it('keeps the hand-off open and says so when its channel is not running', async () => {
    const { handoff } = await server.desk.handle(question('明天天气怎么样?', { channel: 'telegram', chatId: '42' }));
    const cookie = await session();
    const response = await request(`/api/handoffs/${handoff?.id}/reply`, { method: 'POST', cookie, json: { text: '本平台只解答政策问题。' } });
    expect(response.status).toBe(503);
    expect((await json(response)).error.code).toBe('CHANNEL_UNAVAILABLE');
    expect((await json(await request('/api/handoffs', { cookie }))).items).toHaveLength(1);
  });
});

describe('corpus and overview', () => {
  it('lists documents with their clause tree and searches clauses', async () => {
    const cookie = await session();
    const documents = await json(await request('/api/documents', { cookie }));
    expect(documents.items).toMatchObject([{ doc_id: '000', doc_number: '清府办〔2021〕34号', validity_status: 'expired' }]);
    const document = await json(await request('/api/documents/000', { cookie }));
    expect(document.clauses[0].children.map((clause: { lead_departments: string[] }) => clause.lead_departments)).toEqual([
      ['市税务局'],
      ['市人力资源社会保障局'],
      ['市总工会'],
    ]);
    expect((await request('/api/documents/999', { cookie })).status).toBe(404);
    const search = await json(await request(`/api/search?q=${encodeURIComponent('工会经费')}`, { cookie }));
    expect(search.items.map((citation: { clause_label: string }) => citation.clause_label)).toEqual(['(四)']);
    const facets = await json(await request('/api/facets', { cookie }));
    expect(facets.departments).toEqual(expect.arrayContaining(['市总工会', '市残联', '市税务局']));
  });

  it('counts questions per China day and channel, refusals, and verdicts per document and department', async () => {
    server.now.value = new Date('2025-03-01T17:00:00Z'); // 01:00 on 2 March in Beijing
    const { exchange } = await server.desk.handle(question('稳岗返还比例是多少?'));
    await server.desk.ask(question('明天天气怎么样?', { channel: 'telegram', chatId: '42' }));
    server.now.value = new Date('2025-03-03T02:00:00Z');
    const cookie = await session();
    await request(`/api/exchanges/${exchange.id}/reviews`, { method: 'POST', cookie, json: { verdict: 'correct' } });
    const overview = await json(await request('/api/overview?from=2025-03-01&to=2025-03-03', { cookie }));
    expect(overview.days).toEqual(['2025-03-01', '2025-03-02', '2025-03-03']);
    expect(overview.per_day).toEqual([
      { day: '2025-03-02', channel: 'telegram', questions: 1, refused: 1, uncertain: 0 },
      { day: '2025-03-02', channel: 'wecom-bot', questions: 1, refused: 0, uncertain: 0 },
    ]);
    expect(overview.totals).toEqual({ questions: 2, refused: 1, uncertain: 0, refusal_rate: 0.5 });
    expect(overview.verdicts_by_document).toEqual([
      { doc_id: '000', doc_title: '清远市关于促进民营经济高质量发展的若干意见', correct: 1, wrong: 0, incomplete: 0 },
    ]);
    expect(overview.verdicts_by_department).toEqual([{ department: '市人力资源社会保障局', place: '清远市', correct: 1, wrong: 0, incomplete: 0 }]);
    // The refused weather question opened a ticket, still open.
    expect(overview.handoffs).toMatchObject({ opened: 1, by_status: { open: 1 }, by_reason: { refused: 1 }, open_now: 1, median_wait_ms: null });
  });
});

describe('export', () => {
  async function seedForExport(cookie: string): Promise<void> {
    const { exchange } = await server.desk.handle(question('稳岗返还比例是多少?'));
    await server.desk.ask(question('=HYPERLINK("http://example.com","点我")', { channel: 'telegram', chatId: '9' }));
    await request(`/api/exchanges/${exchange.id}/reviews`, { method: 'POST', cookie, json: { verdict: 'wrong', note: '比例写错,应为"60%"' } });
  }

  it('exports the log with verdicts as UTF-8 CSV with a BOM, defusing formulas', async () => {
    const cookie = await session();
    await seedForExport(cookie);
    const response = await request('/api/export.csv', { cookie });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="policybot-log-2025-03-03\.csv"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^编号,时间\(北京时间\),渠道,会话,用户,问题,回答,方式,回答结论,/);
    expect(lines).toHaveLength(3);
    expect(text).toContain(`"'=HYPERLINK(""http://example.com"",""点我"")"`);
    const wecomRow = lines.find((line) => line.includes('稳岗返还比例是多少?')) ?? '';
    expect(wecomRow).toContain('企业微信');
    expect(wecomRow).toContain('错误,"比例写错,应为""60%""",,王芳,2025-03-03 10:00:00');
    expect(wecomRow).toContain('市人力资源社会保障局');
    const filtered = await (await request('/api/export.csv?channel=telegram', { cookie })).text();
    expect(filtered.trimEnd().split('\r\n')).toHaveLength(2);
  });

  it('exports the same rows as an Excel workbook', async () => {
    const cookie = await session();
    await seedForExport(cookie);
    const response = await request('/api/export.xlsx?verdict=wrong', { cookie });
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('问答记录');
    expect(sheet?.rowCount).toBe(2);
    const header = (sheet!.getRow(1).values as unknown[]).slice(1);
    const row = (sheet!.getRow(2).values as unknown[]).slice(1);
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('问题')).toBe('稳岗返还比例是多少?');
    expect(cell('渠道')).toBe('企业微信智能机器人');
    expect(cell('审核结论')).toBe('错误');
    expect(cell('审核人')).toBe(officerName);
    expect(cell('引用条款')).toBe('一、多措并举,降低民营企业生产经营成本 › (二)');
  });

  it('gives the page the same words for channels, modes, decisions and verdicts as the export', async () => {
    const cookie = await session();
    await seedForExport(cookie);
    const page = await (await request('/', { cookie })).text();
    const block = /<script type="application\/json" id="console-labels">(.*?)<\/script>/.exec(page)?.[1];
    const labels = JSON.parse(block ?? '{}');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await request('/api/export.xlsx?verdict=wrong', { cookie })).arrayBuffer());
    const sheet = workbook.getWorksheet('问答记录')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('渠道')).toBe(labels.channel['wecom-bot']);
    expect(cell('方式')).toBe(labels.mode.extractive);
    expect(cell('回答结论')).toBe(labels.decision.answered);
    expect(cell('审核结论')).toBe(labels.verdict.wrong);
    expect(labels.verdict.unreviewed).toBe('未审核');
    expect(labels.sentenceEnds).toBe('。;；!！?？');
  });
});

describe('the hand-off queue', () => {
  it('keeps one ticket for a refusal and the 转人工 after it; takes, closes and dismisses with a reason; counts and median wait', async () => {
    const minute = 60_000;
    const start = server.now.value.getTime();
    await server.desk.ask(question('明天天气怎么样?'));
    server.now.value = new Date(start + minute);
    await server.desk.ask(question('转人工', { messageId: 'm-2' }));
    await server.desk.ask(question('转人工 稳岗返还怎么申请', { chatId: 'room-8' }));
    await server.desk.ask(question('明天天气怎么样?', { chatId: 'room-9' }));
    const cookie = await session();
    const queue = await json(await request('/api/handoffs', { cookie }));
    expect(queue.counts).toEqual({ open: 3, answered: 0, closed: 0, dismissed: 0 });
    expect(queue.items.map((item: { chat_id: string; reason: string; asks: number }) => [item.chat_id, item.reason, item.asks])).toEqual([
      ['room-7', 'refused', 2],
      ['room-8', 'requested', 1],
      ['room-9', 'refused', 1],
    ]);
    const [weather, stable, other] = queue.items;
    expect(weather).toMatchObject({ question: '明天天气怎么样?', requested_at: new Date(start + minute).toISOString(), status: 'open', assigned: null });

    server.now.value = new Date(start + 10 * minute);
    const taken = await request(`/api/handoffs/${stable.id}/assign`, { method: 'POST', cookie, json: {} });
    expect((await json(taken)).handoff).toMatchObject({ assigned: { officer: officerName }, waited_ms: 9 * minute });
    const mine = await json(await request('/api/handoffs?mine=1', { cookie }));
    expect(mine.items.map((item: { id: number }) => item.id)).toEqual([stable.id]);

    expect((await request(`/api/handoffs/${weather.id}/resolve`, { method: 'POST', cookie, json: { status: 'closed' } })).status).toBe(400);
    const closed = await request(`/api/handoffs/${weather.id}/resolve`, { method: 'POST', cookie, json: { status: 'closed', note: '已电话答复' } });
    expect((await json(closed)).handoff).toMatchObject({ status: 'closed', resolution: { by: officerName, note: '已电话答复' }, waited_ms: 10 * minute });
    server.now.value = new Date(start + 30 * minute);
    await request(`/api/handoffs/${other.id}/resolve`, { method: 'POST', cookie, json: { status: 'dismissed', note: '非政策问题' } });
    const again = await request(`/api/handoffs/${other.id}/resolve`, { method: 'POST', cookie, json: { status: 'closed', note: 'x' } });
    expect(again.status).toBe(409);
    expect((await request(`/api/handoffs/${weather.id}/reply`, { method: 'POST', cookie, json: { text: '答复' } })).status).toBe(409);

    const resolved = await json(await request('/api/handoffs?status=resolved', { cookie }));
    expect(resolved.items.map((item: { status: string }) => item.status)).toEqual(['dismissed', 'closed']);
    const overview = await json(await request('/api/overview', { cookie }));
    expect(overview.handoffs).toMatchObject({
      opened: 3,
      by_status: { open: 1, closed: 1, dismissed: 1, answered: 0 },
      by_reason: { refused: 2, requested: 1, uncertain: 0 },
      median_wait_ms: 19.5 * minute,
      open_now: 1,
      open_median_wait_ms: 29 * minute,
    });
    const audit = await json(await request('/api/audit', { cookie }));
    expect(audit.items.map((item: { action: string }) => item.action)).toEqual(['handoff.dismiss', 'handoff.close', 'handoff.assign']);
  });

  it('pages the queue and gives the badge its count without the tickets', async () => {
    for (let index = 0; index < 55; index += 1) {
      server.now.value = new Date(server.now.value.getTime() + 1000);
      await server.desk.ask(question('明天天气怎么样?', { chatId: `room-${index}` }));
    }
    const cookie = await session();
    const first = await json(await request('/api/handoffs', { cookie }));
    expect(first).toMatchObject({ total: 55, page: 1, page_size: 50, counts: { open: 55 } });
    expect(first.items).toHaveLength(50);
    expect(first.items[0].chat_id).toBe('room-0');
    const second = await json(await request('/api/handoffs?page=2', { cookie }));
    expect(second.items.map((item: { chat_id: string }) => item.chat_id)).toEqual(['room-50', 'room-51', 'room-52', 'room-53', 'room-54']);
    await request(`/api/handoffs/${first.items[3].id}/assign`, { method: 'POST', cookie, json: {} });
    const badge = await request('/api/handoffs/count', { cookie });
    expect(await json(badge)).toEqual({ open: 55, mine: 1, oldest_open: first.items[0].time });
    expect((await json(await request('/api/handoffs?mine=1', { cookie }))).total).toBe(1);
    expect((await request('/api/handoffs?page=0', { cookie })).status).toBe(400);
  });
});

describe('reviewed answers', () => {
  it('lists and searches approved answers with how often each was served; edits, sets the threshold, disables and enables', async () => {
    const { exchange } = await server.desk.handle(question('工会经费能返还吗?'));
    const cookie = await session();
    await request(`/api/exchanges/${exchange.id}/reviews`, { method: 'POST', cookie, json: { verdict: 'correct' } });
    await server.desk.ask(question('工会经费能返还吗', { chatId: 'room-2' }));
    await server.desk.ask(question('小微企业的工会经费能返还吗?', { chatId: 'room-3' }));
    const listed = await json(await request('/api/reviewed-answers', { cookie }));
    expect(listed.default_min_similarity).toBe(0.8);
    expect(listed.items).toMatchObject([{ question: '工会经费能返还吗?', served: 1, approved_by: officerName, min_similarity: null, retired: null }]);
    const [approved] = listed.items;
    expect((await json(await request(`/api/reviewed-answers?q=${encodeURIComponent('稳岗')}`, { cookie }))).items).toEqual([]);
    expect(listed).toMatchObject({ page: 1, has_more: false });
    const onePerPage = await json(await request('/api/reviewed-answers?page_size=1', { cookie }));
    expect(onePerPage).toMatchObject({ page: 1, page_size: 1, has_more: false });
    expect((await json(await request('/api/reviewed-answers?page=2', { cookie }))).items).toEqual([]);
    expect((await request('/api/reviewed-answers?page=0', { cookie })).status).toBe(400);

    const match = (text: string) => request(`/api/reviewed-answers/${approved.id}/match?q=${encodeURIComponent(text)}`, { cookie }).then(json);
    expect(await match('工会经费能返还吗')).toMatchObject({ similarity: 1, matches: true });
    expect((await match('小微企业的工会经费能返还吗?')).matches).toBe(false);

    const lowered = await request(`/api/reviewed-answers/${approved.id}`, {
      method: 'POST',
      cookie,
      json: { min_similarity: 0.7, answer: '小微企业工会经费全额返还。' },
    });
    expect((await json(lowered)).answer).toMatchObject({ min_similarity: 0.7, answer: '小微企业工会经费全额返还。', edited: { by: officerName } });
    expect((await match('小微企业的工会经费能返还吗?')).matches).toBe(true);
    const served = await server.desk.ask(question('小微企业的工会经费能返还吗?', { chatId: 'room-4' }));
    expect(served.mode).toBe('reviewed');
    expect(served.answer.startsWith(`${reviewedMark}\n小微企业工会经费全额返还。\n\n出处：`)).toBe(true);
    expect((await request(`/api/reviewed-answers/${approved.id}`, { method: 'POST', cookie, json: { min_similarity: 0.2 } })).status).toBe(400);

    expect((await request(`/api/reviewed-answers/${approved.id}/retire`, { method: 'POST', cookie, json: {} })).status).toBe(200);
    expect((await server.desk.ask(question('工会经费能返还吗', { chatId: 'room-5' }))).mode).toBe('extractive');
    const retired = await json(await request('/api/reviewed-answers?status=retired', { cookie }));
    expect(retired.items).toMatchObject([{ id: approved.id, served: 2, retired: { by: officerName } }]);
    await request(`/api/reviewed-answers/${approved.id}/restore`, { method: 'POST', cookie, json: {} });
    expect((await server.desk.ask(question('工会经费能返还吗', { chatId: 'room-6' }))).mode).toBe('reviewed');
    const audit = await json(await request('/api/audit', { cookie }));
    expect(audit.items.map((item: { action: string }) => item.action)).toEqual(['reviewed.enable', 'reviewed.disable', 'reviewed.edit']);
    expect(audit.items[2].details).toMatchObject({ min_similarity: { before: null, after: 0.7 }, answer: { after: '小微企业工会经费全额返还。' } });
  });
});

describe('officers', () => {
  it('lets an admin add an officer with a one-time password, reset it, change the role and disable the account', async () => {
    const cookie = await session();
    expect((await json(await request('/api/me', { cookie }))).role).toBe('admin');
    const added = await request('/api/officers', { method: 'POST', cookie, json: { name: '李强', role: 'officer' } });
    expect(added.status).toBe(201);
    const { password } = await json(added);
    expect(password).toMatch(/^[\w-]{15}$/);
    expect((await request('/api/officers', { method: 'POST', cookie, json: { name: '李强' } })).status).toBe(409);
    expect((await signIn('李强', password)).status).toBe(200);

    const reset = await json(await request(`/api/officers/${encodeURIComponent('李强')}/password`, { method: 'POST', cookie, json: {} }));
    expect((await signIn('李强', password)).status).toBe(401);
    const officerCookie = ((await signIn('李强', reset.password)).headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    expect((await request('/api/officers', { cookie: officerCookie })).status).toBe(403);

    await request(`/api/officers/${encodeURIComponent('李强')}/disable`, { method: 'POST', cookie, json: {} });
    expect((await request('/api/me', { cookie: officerCookie })).status).toBe(401);
    const refused = await signIn('李强', reset.password);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.message).toBe('该账号已停用,请联系管理员');
    await request(`/api/officers/${encodeURIComponent('李强')}/enable`, { method: 'POST', cookie, json: {} });
    await request(`/api/officers/${encodeURIComponent('李强')}/role`, { method: 'POST', cookie, json: { role: 'admin' } });
    expect((await signIn('李强', reset.password)).status).toBe(200);

    expect((await json(await request(`/api/officers/${encodeURIComponent(officerName)}/disable`, { method: 'POST', cookie, json: {} }))).error.code).toBe(
      'DISABLE_SELF',
    );
    await request(`/api/officers/${encodeURIComponent('李强')}/role`, { method: 'POST', cookie, json: { role: 'officer' } });
    const last = await request(`/api/officers/${encodeURIComponent(officerName)}/role`, { method: 'POST', cookie, json: { role: 'officer' } });
    expect((await json(last)).error.code).toBe('LAST_ADMIN');

    const officers = await json(await request('/api/officers', { cookie }));
    expect(Object.fromEntries(officers.items.map((officer: { name: string; role: string }) => [officer.name, officer.role]))).toEqual({
      [officerName]: 'admin',
      李强: 'officer',
    });
    const audit = await json(await request('/api/audit', { cookie }));
    expect(audit.items.map((item: { action: string; target: string }) => `${item.action} ${item.target}`)).toEqual([
      'officer.role 李强',
      'officer.role 李强',
      'officer.enable 李强',
      'officer.disable 李强',
      'officer.reset_password 李强',
      'officer.add 李强',
    ]);
    expect(JSON.stringify(audit)).not.toContain(reset.password);
  });

  it('lets an officer change their own password with the current one', async () => {
    const cookie = await session();
    expect((await request('/api/me/password', { method: 'POST', cookie, json: { current: 'wrong', password: 'a new passphrase' } })).status).toBe(403);
    expect((await request('/api/me/password', { method: 'POST', cookie, json: { current: officerPassword, password: 'short' } })).status).toBe(400);
    expect((await request('/api/me/password', { method: 'POST', cookie, json: { current: officerPassword, password: 'a new passphrase' } })).status).toBe(200);
    expect((await signIn(officerName, 'a new passphrase')).status).toBe(200);
  });
});

describe('the log filters', () => {
  it('filters by decision, matches keywords in what the asker typed only, and merges department spellings within a place', async () => {
    const refused = (await server.desk.handle(question('明天天气怎么样?'))).exchange.id;
    const answered = (await server.desk.handle(question('稳岗返还比例是多少?', { chatId: 'room-2' }))).exchange.id;
    const cookie = await session();
    const ids = async (query: string) => (await json(await request(`/api/exchanges?${query}`, { cookie }))).items.map((item: { id: number }) => item.id);
    expect(await ids('decision=refused')).toEqual([refused]);
    expect(await ids('decision=answered')).toEqual([answered]);
    expect((await request('/api/exchanges?decision=maybe', { cookie })).status).toBe(400);
    // The refusal's wording ("没有找到相关规定") is not what anyone asked.
    expect(await ids(`q=${encodeURIComponent('相关规定')}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('天气')}`)).toEqual([refused]);

    const facets = await json(await request('/api/facets', { cookie }));
    expect(facets.decisions).toEqual(['answered', 'uncertain', 'refused']);
    const [group] = facets.department_groups;
    expect(group.place).toBe('清远市');
    const hr = group.departments.find((department: { label: string }) => department.label === '市人力资源社会保障局');
    expect(hr.value).toBe('清远市|市人力资源社会保障局');
    expect(await ids(`department=${encodeURIComponent(hr.value)}`)).toEqual([answered]);
    // Another spelling of the same department finds the same exchanges; another city's does not.
    expect(await ids(`department=${encodeURIComponent('清远市|市人社局')}`)).toEqual([answered]);
    expect(await ids(`department=${encodeURIComponent('乐清市|市人力资源社会保障局')}`)).toEqual([]);
  });
});
