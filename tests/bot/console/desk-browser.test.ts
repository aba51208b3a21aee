import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifacts, launchChromium, shoot } from './browser-session.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../bot/app/config.ts';
import { sampleCitation } from '../../helpers.ts';
import { marineMeasures } from './marine-measures.ts';
import { adminName, adminPassword, startRealConsoleServer, type RealConsoleServer } from './real-console-server.ts';

let server: RealConsoleServer;
let browser: Browser;

beforeAll(async () => {
  server = await startRealConsoleServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    ...(viewport.width < 500 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel('用户名').fill(adminName);
  await page.getByLabel('密码').fill(adminPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '问答记录' }).waitFor();
  return { page, problems, close: () => context.close() };
}

async function askInConsole(page: Page, question: string): Promise<string> {
  await page.getByRole('link', { name: '政策文件与试问' }).click();
  await page.getByLabel('企业的问题').fill(question);
  await page.getByRole('button', { name: '提问', exact: true }).click();
  const answer = page.getByTestId('answer');
  await answer.waitFor();
  return (await answer.textContent()) ?? '';
}

describe('the desk in a browser', () => {
  it('uploads a document and answers from it, then corrects a department and the answer names the new one', async () => {
    const { page, problems, close } = await open();
    const file = path.join(tmpdir(), '江门海洋牧场措施.txt');
    writeFileSync(file, marineMeasures);
    await page.getByRole('link', { name: '政策文件与试问' }).click();
    await page.getByLabel('文件', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: '上传并加入' }).click();
    const result = page.getByTestId('upload-result');
    await expect.poll(() => result.textContent()).toContain('江门市关于支持海洋牧场建设的若干措施');
    expect(await result.textContent()).toContain('1 条未列明责任单位');
    await shoot(page, 'corpus-upload');

    const first = await askInConsole(page, '深远海养殖平台建设有什么补助?');
    expect(first).toContain('按设备投资额的20%给予补助');
    expect(first).toContain('市农业农村局牵头');

    // The new document's page: its parser warning, and the lead department corrected in place.
    await page.getByRole('link', { name: '江门市关于支持海洋牧场建设的若干措施' }).click();
    await page.getByRole('heading', { name: '解析提示(1)' }).waitFor();
    const clause = page.locator('li', { hasText: '支持深远海养殖平台建设' }).last();
    await clause.getByText('更正责任单位或标题').click();
    await clause.getByLabel('牵头单位').fill('市海洋综合执法支队');
    await clause.getByLabel('更正说明').fill('平台建设由执法支队统筹');
    await clause.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => page.getByTestId('correction').first().textContent()).toContain('牵头单位原为“市农业农村局”');
    await shoot(page, 'document-correction');

    const second = await askInConsole(page, '新建深远海养殖平台能拿多少补助?');
    // The quote stays as published; who is responsible is now the officer's correction.
    expect(second).toContain('这项措施由市海洋综合执法支队牵头');
    expect(second).not.toContain('这项措施由市农业农村局牵头');
    expect(problems).toEqual([]);
    await close();
  });

  it('uploads a PDF through the same reader as corpus add, and answers from it', async () => {
    const { page, problems, close } = await open();
    // A text PDF printed by Chromium from a page written for the test: a city and topic no other document covers.
    const maker = await browser.newPage();
    await maker.setContent(`<html><body style="font-family: sans-serif; font-size: 14px">
      <h1 style="text-align:center;font-size:20px">舟山市关于支持远洋渔业转型升级的若干措施</h1>
      <p style="text-align:center">舟政办发〔2024〕12号</p>
      <p>一、支持远洋渔船更新改造。对更新改造远洋渔船的企业,按船舶造价的15%给予补助,单船最高300万元。(市海洋与渔业局牵头,市财政局配合)</p>
      <p>二、支持远洋渔业基地建设。对新建境外远洋渔业基地的企业,给予一次性奖励100万元。(市海洋与渔业局牵头,市商务局配合)</p>
      <p>三、本措施自2024年5月1日起施行,有效期3年。</p>
      <p style="text-align:right">舟山市人民政府办公室<br>2024年4月20日</p></body></html>`);
    const file = path.join(tmpdir(), '舟山远洋渔业措施.pdf');
    await maker.pdf({ path: file, format: 'A4' });
    await maker.close();
    await page.getByRole('link', { name: '政策文件与试问' }).click();
    await page.getByLabel('文件', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: '上传并加入' }).click();
    await expect.poll(() => page.getByTestId('upload-result').textContent()).toContain('舟山市关于支持远洋渔业转型升级的若干措施');
    const answer = await askInConsole(page, '更新改造远洋渔船有什么补助?');
    expect(answer).toContain('按船舶造价的15%给予补助');
    expect(answer).toContain('市海洋与渔业局');
    expect(problems).toEqual([]);
    await close();
  });

  it('works a hand-off: an uncertain answer and the 转人工 after it are one ticket; take it and close it with a reason', async () => {
    const chat = (text: string) => server.desk.handle({ text, channel: 'wecom-bot', chatId: 'room-42', userId: 'zhang', messageId: `m-${text.length}` });
    server.now.value = new Date(Date.now() - 3 * 3_600_000);
    // The measure is there, when the money arrives is not: uncertain, an officer takes it at once.
    await chat('稳岗返还什么时候到账?');
    server.now.value = new Date(Date.now() - 2 * 3_600_000);
    await chat('转人工');
    server.now.value = new Date();
    const { page, problems, close } = await open();
    // The navigation badge on every page load asks for a count, never for the queue itself.
    const queueRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/handoffs')) queueRequests.push(`${url.pathname}${url.search}`);
    });
    await page.reload();
    await page.getByRole('heading', { name: '问答记录' }).waitFor();
    await expect.poll(() => page.locator('#handoff-count').textContent()).toBe('1');
    expect(queueRequests).toEqual(['/api/handoffs/count']);
    await page.getByRole('link', { name: /转人工/ }).click();
    const tickets = page.getByRole('article', { name: /转人工/ });
    await tickets.first().waitFor();
    expect(await tickets.count()).toBe(1);
    const ticket = tickets.first();
    expect(await ticket.textContent()).toContain('稳岗返还什么时候到账?');
    expect(await ticket.textContent()).toContain('回答不确定');
    // The closest measures the asker was shown come with the ticket.
    expect(await ticket.textContent()).toContain('最接近的条款');
    expect(await ticket.textContent()).toContain('继续实施失业保险稳岗返还政策');
    expect(await ticket.textContent()).toContain('用户已要求转人工');
    expect(await ticket.textContent()).toContain('已等待 3 小时');
    expect(await ticket.textContent()).toContain('提出 2 次');
    await ticket.getByRole('button', { name: '由我处理' }).click();
    await expect.poll(() => tickets.first().textContent()).toContain('由我处理');
    await shoot(page, 'handoffs');

    await tickets.first().getByText('不在会话中回复:关闭或忽略').click();
    await tickets.first().getByLabel('原因').fill('已电话联系企业答复');
    await tickets.first().getByRole('button', { name: '确定' }).click();
    await expect.poll(() => tickets.count()).toBe(0);
    await page.getByRole('link', { name: '已处理' }).click();
    const resolved = page.getByRole('article', { name: /转人工/ }).first();
    await expect.poll(() => resolved.textContent()).toContain('已关闭:已电话联系企业答复');
    expect(server.wecom.sent).toEqual([]);
    await page.getByRole('link', { name: '统计概览' }).click();
    await expect.poll(() => page.getByLabel('转人工统计').textContent()).toContain('已关闭1');
    expect(problems).toEqual([]);
    await close();
  });

  it('lists a reviewed answer with how often it was served, and disabling it sends the question back to the bot', async () => {
    const question = '小微企业的工会经费能返还吗?';
    const { exchange } = await server.desk.handle({ text: question, channel: 'telegram', chatId: '77', userId: 'li' });
    await server.desk.review({
      exchangeId: exchange.id,
      verdict: 'correct',
      note: '',
      correctedAnswer: '小微企业缴纳的工会经费全额返还,由市总工会负责。',
      reviewer: adminName,
    });
    await server.desk.ask({ text: '小微企业工会经费能返还吗', channel: 'telegram', chatId: '78', userId: 'wu' });
    const { page, problems, close } = await open();
    await page.getByRole('link', { name: '审核答复' }).click();
    const card = page.getByRole('article', { name: /审核答复/ }).filter({ hasText: question });
    await card.waitFor();
    expect(await card.textContent()).toContain('已使用 1 次');
    await card.getByText('试一试:这个问题会用到此答复吗?').click();
    await card.getByLabel('企业可能的问法').fill('小微企业工会经费返还吗');
    await card.getByRole('button', { name: '试一试' }).click();
    await expect.poll(() => card.getByRole('status').last().textContent()).toContain('会使用此答复');
    await shoot(page, 'reviewed-answers');

    expect(await askInConsole(page, '小微企业的工会经费能返还吗')).toContain('已经政策服务专员审核');
    await page.getByRole('link', { name: '审核答复' }).click();
    await card.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => card.count()).toBe(0);
    const after = await askInConsole(page, '小微企业的工会经费能返还吗');
    expect(after).not.toContain('已经政策服务专员审核');
    expect(problems).toEqual([]);
    await close();
  });

  it('pages the log keeping its filters at the top of the page, and 返回记录 comes back to that page', async () => {
    for (let index = 0; index < 110; index += 1) {
      await server.store.recordExchange({
        time: new Date(Date.parse('2025-02-01T02:00:00Z') + index * 60_000),
        channel: index % 2 ? 'telegram' : 'wecom-bot',
        chatId: `bulk-${index}`,
        userId: 'u',
        messageId: null,
        question: `第${index}个关于稳岗返还的问题`,
        normalizedQuestion: `第${index}个关于稳岗返还的问题`,
        answer: '中小微企业按60%返还。',
        citations: [sampleCitation()],
        decision: 'answered',
        mode: 'extractive',
        latencyMs: 3,
        answeredBy: null,
        reviewedAnswerId: null,
      });
    }
    const { page, problems, close } = await open();
    await page.getByLabel('渠道').selectOption('wecom-bot');
    await page.getByLabel('关键词').fill('稳岗返还的问题');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 55 条');
    // The department filter lists each department once per place, spellings merged.
    const groups = await page.locator('#filter-department optgroup').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('label')));
    expect(groups).toEqual(expect.arrayContaining(['清远市']));
    await page.getByRole('link', { name: '下一页' }).scrollIntoViewIfNeeded();
    await page.getByRole('link', { name: '下一页' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('第 2 / 2 页');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const address = new URL(page.url()).hash;
    expect(address).toContain('channel=wecom');
    expect(address).toContain('page=2');
    expect(await page.getByLabel('渠道').inputValue()).toBe('wecom-bot');

    await page
      .getByRole('link', { name: /查看并审核/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /审核问答/ }).waitFor();
    await page.getByRole('link', { name: '← 返回记录' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('第 2 / 2 页');
    expect(new URL(page.url()).hash).toBe(address);
    expect(await page.getByLabel('关键词').inputValue()).toBe('稳岗返还的问题');
    expect(problems).toEqual([]);
    await close();
  });

  it('marks an answer WeCom acknowledged but never received, counts it, filters to it, and shows the backlog', async () => {
    const exchange = await server.store.recordExchange({
      time: new Date('2025-02-03T02:00:00Z'),
      channel: 'wecom-callback',
      chatId: 'offline-member',
      userId: 'offline-member',
      messageId: 'MSG-OUT-1',
      question: '创业担保贷款额度是多少？',
      normalizedQuestion: '创业担保贷款额度是多少',
      answer: '个人最高30万元。',
      citations: [sampleCitation()],
      decision: 'answered',
      mode: 'extractive',
      latencyMs: 3,
      answeredBy: null,
      reviewedAnswerId: null,
    });
    const { entry } = await server.store.enqueueOutbox({
      channel: 'wecom-callback',
      chatId: 'offline-member',
      userId: 'offline-member',
      messageId: 'MSG-OUT-1',
      question: exchange.question,
      messages: ['个人最高30万元。'],
      exchangeId: exchange.id,
      route: 'send',
      time: exchange.time,
      dueAt: exchange.time,
    });
    await server.store.claimOutbox({
      channel: 'wecom-callback',
      holder: 'browser-test',
      now: new Date(),
      claimedUntil: new Date(Date.now() + 60_000),
      limit: 10,
    });
    await server.store.settleOutbox(
      entry.id,
      'browser-test',
      { status: 'failed', error: 'WeCom message/send failed (errcode 60111: userid not found)' },
      new Date(),
    );

    const { page, problems, close } = await open();
    const note = page.getByRole('note');
    await expect.poll(() => note.textContent()).toContain('有 1 条答复尚未送达提问人');
    await note.getByRole('link', { name: '只看未送达' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 1 条');
    const card = page.getByRole('article', { name: `问答 ${exchange.id}` });
    expect(await card.textContent()).toContain('未送达：发送失败（已试 1 次）');
    expect(await card.getByText('未送达：发送失败').getAttribute('title')).toContain('60111');
    expect(await page.getByLabel('送达状态').inputValue()).toBe('undelivered');

    await page.getByRole('link', { name: '系统状态' }).click();
    await page.getByRole('heading', { name: '待发答复' }).waitFor();
    const backlog = await page.getByRole('region', { name: '待发答复' }).textContent();
    expect(backlog).toContain('发送失败 1 条');
    expect(problems).toEqual([]);
    await close();
  });

  it('shows the status panel and manages officers with an audit trail', async () => {
    const { page, problems, close } = await open();
    await page.getByRole('link', { name: '系统状态' }).click();
    await page.getByRole('heading', { name: '渠道' }).waitFor();
    const channels = await page.locator('table').first().textContent();
    expect(channels).toContain('WeCom smart bot');
    expect(channels).toContain('运行中');
    expect(channels).toContain('TELEGRAM_BOT_TOKEN');
    expect(await page.getByRole('heading', { name: '政策文件与索引' }).isVisible()).toBe(true);
    await shoot(page, 'status');

    await page.getByRole('link', { name: '专员管理' }).click();
    await page.getByLabel('用户名').fill('赵敏');
    await page.getByRole('button', { name: '添加专员' }).click();
    const password = page.getByTestId('one-time-password');
    await expect.poll(() => password.textContent()).toMatch(/^[\w-]{15}$/);
    const row = page.locator('tr[data-officer="赵敏"]');
    await row.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => row.textContent()).toContain('已停用');
    const audit = page.getByRole('table', { name: '操作记录' });
    await expect.poll(() => audit.textContent()).toContain('停用账号');
    expect(await audit.textContent()).toContain('添加账号');
    await shoot(page, 'officers');
    expect(problems).toEqual([]);
    await close();
  });

  it('reads on a phone: hand-offs, reviewed answers, status and officers fit the width', async () => {
    // Tables scroll inside their card; the page itself never scrolls sideways.
    const { page, close } = await open({ width: 390, height: 844 });
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    for (const [route, heading, name] of [
      ['handoffs?tab=resolved', /转人工/, 'phone-handoffs'],
      ['reviewed?status=retired', '审核答复', 'phone-reviewed'],
      ['status', '系统状态', 'phone-status'],
      ['officers', '专员管理', 'phone-officers'],
    ] as const) {
      await page.goto(`${server.url}/#/${route}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      expect({ route, fits: await noSideways() }).toEqual({ route, fits: true });
      await shoot(page, name);
    }
    await close();
  });
});
