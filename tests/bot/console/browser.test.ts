import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifacts, launchChromium, shoot } from './browser-session.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../bot/app/config.ts';
import { officerName, officerPassword, startConsoleServer, type ConsoleServer } from './console-server.ts';

let server: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  server = await startConsoleServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/`);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
  await page.getByLabel('用户名').fill(officerName);
  await page.getByLabel('密码').fill(officerPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '问答记录' }).waitFor();
}

describe('console in a browser', () => {
  it('asks, reviews with a correction in the log, and then answers with the correction marked reviewed', async () => {
    // Some traffic from the chat channels, so the log and the charts have something to show.
    const chat = (text: string, channel: 'wecom-bot' | 'telegram', chatId: string) =>
      server.desk.ask({ text, channel, chatId, userId: `user-${chatId}`, messageId: `${chatId}-1` });
    for (const [day, channel, text] of [
      ['2025-02-27', 'wecom-bot', '残保金现在还是按老标准交吗?'],
      ['2025-02-28', 'telegram', '小微企业的工会经费能退吗?'],
      ['2025-03-01', 'wecom-bot', '明天天气怎么样?'],
      ['2025-03-02', 'wecom-bot', '用气大户可以天然气直供吗?'],
      ['2025-03-02', 'telegram', '稳岗返还找哪个部门?'],
    ] as const) {
      server.now.value = new Date(`${day}T03:00:00Z`);
      await chat(text, channel, `${channel}-${day}`);
    }
    server.now.value = new Date('2025-03-03T02:00:00Z');
    await chat('转人工', 'wecom-bot', 'wecom-bot-2025-03-02');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
    });
    await signIn(page);

    const asked = '我们厂去年裁员率不超过20%,还能拿失业保险稳岗返还吗?';
    await page.getByRole('link', { name: '政策文件与试问' }).click();
    await page.getByLabel('企业的问题').fill(asked);
    await page.getByRole('button', { name: '提问', exact: true }).click();
    const answer = page.getByTestId('answer');
    await expect.poll(() => answer.textContent()).toContain('中小微企业按60%返还');
    // The answer's parts, then its sources once, as cards: no second list from the plain-text answer, no Markdown.
    const shown = (await answer.textContent()) ?? '';
    expect(shown.split('出处').length - 1).toBe(1);
    expect(shown.split('清府办〔2021〕34号').length - 1).toBe(1);
    expect(shown).not.toContain('**');
    await shoot(page, 'ask');

    await page.getByRole('link', { name: '问答记录' }).click();
    const entry = page.getByRole('article').filter({ hasText: asked });
    await entry.getByRole('link', { name: /查看并审核/ }).click();
    await page.getByRole('heading', { name: /审核问答/ }).waitFor();
    await expect.poll(() => page.locator('mark').first().textContent()).toContain('60%返还');
    const corrected = '可以。上年度裁员率不超过20%的参保企业可申请稳岗返还,中小微企业按60%返还,由市人力资源社会保障局负责。';
    await page.getByLabel('不完整').check();
    await page.getByLabel('审核意见').fill('未说明裁员率条件');
    await page.getByLabel('更正后的答复(选填)').fill(corrected);
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('审核已保存');
    await page.getByRole('heading', { name: '审核历史' }).waitFor();
    await shoot(page, 'review');

    await page.getByRole('link', { name: '政策文件与试问' }).click();
    await page.getByLabel('企业的问题').fill('请问,我们厂去年裁员率不超过20%,还能拿到失业保险稳岗返还吗');
    await page.getByRole('button', { name: '提问', exact: true }).click();
    await expect.poll(() => answer.textContent()).toContain(corrected);
    expect(await answer.textContent()).toContain('已经政策服务专员审核');
    await shoot(page, 'reviewed-answer');

    await page.getByRole('link', { name: /转人工/ }).click();
    // Two are open: the refused weather question and the "转人工" after the gas question.
    const handoff = page.getByRole('article', { name: /转人工/ }).filter({ hasText: '用气大户可以天然气直供吗?' });
    await handoff.getByLabel('回复内容').fill('稳岗返还请向市人力资源社会保障局申请,我们会电话联系您。');
    await handoff.getByRole('button', { name: '发送回复' }).click();
    await expect.poll(() => handoff.count()).toBe(0);
    expect(await page.getByRole('article', { name: /转人工/ }).count()).toBe(1);
    expect(server.wecom.sent.map((sent) => sent.chatId)).toEqual(['wecom-bot-2025-03-02']);

    await page.getByRole('link', { name: '统计概览' }).click();
    await page.locator('svg[role="img"]').first().waitFor();
    expect(await page.locator('svg[role="img"] rect').count()).toBeGreaterThan(3);
    await shoot(page, 'overview');
    await page.getByRole('link', { name: '问答记录' }).click();
    await page.getByRole('heading', { name: '问答记录' }).waitFor();
    await shoot(page, 'log');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads on a phone: log, review and corpus fit the width', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page);
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-log');
    await page
      .getByRole('link', { name: /查看并审核/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /审核问答/ }).waitFor();
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-review');
    await page.goto(`${server.url}/#/corpus/000`);
    await page.getByRole('heading', { name: '清远市关于促进民营经济高质量发展的若干意见' }).waitFor();
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-document');
    await page.goto(`${server.url}/#/overview`);
    await page.locator('svg[role="img"]').first().waitFor();
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-overview');
    await context.close();
  });

  it('says in Chinese when the server cannot be reached, at sign-in and on a page, and when an address lacks its number', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    // The network fails for this one request, as when the server is down or the connection drops.
    await page.route('**/api/session', (route) => route.abort('connectionrefused'));
    await page.getByLabel('用户名').fill(officerName);
    await page.getByLabel('密码').fill(officerPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe('无法连接服务器,请检查网络后重试');
    expect(await page.getByRole('button', { name: '登录' }).isEnabled()).toBe(true);
    await page.unroute('**/api/session');

    await signIn(page);
    await page.route('**/api/handoffs?*', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/#/handoffs`);
    await expect.poll(() => page.locator('#main .error').textContent()).toBe('无法连接服务器,请检查网络后重试');
    await page.goto(`${server.url}/#/review`);
    await expect.poll(() => page.locator('#main .error').textContent()).toBe('地址中缺少问答编号');
    await context.close();
  });
});
