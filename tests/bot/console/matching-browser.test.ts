import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifacts, launchChromium, shoot } from './browser-session.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../../bot/app/config.ts';
import { silentLogger } from '../../../bot/logger.ts';
import { startServer } from '../../../bot/app/serve.ts';
import { NEW_QINGYUAN_MEASURES } from '../../helpers.ts';
import { waitFor } from '../channels/channel-helpers.ts';
import { FakeTelegramApi, textUpdate } from '../channels/telegram/fake-telegram-api.ts';

const TOKEN = '123456789:AAHfakeTokenForMatchingPages_0123456';
const ENTERPRISE = 3001;
const replyLetter = '《清远市工业和信息化局关于对市八届政协二次会议第20230425号提案答复的函》';

let api: FakeTelegramApi;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let directory: string;

/**
 * The matching pages as `npm start` serves them: the real server (real corpus copy, SQLite file, matcher, desk)
 * with Telegram long polling against the loopback Bot API server, driven in Chromium by an officer.
 */
beforeAll(async () => {
  api = await FakeTelegramApi.start(TOKEN);
  directory = mkdtempSync(path.join(tmpdir(), 'policybot-matching-pages-'));
  const corpusDir = path.join(directory, 'documents');
  cpSync(path.join(projectRoot, 'corpus', 'documents'), corpusDir, { recursive: true });
  server = await startServer(
    loadConfig({
      POLICYBOT_DATA_DIR: path.join(directory, 'data'),
      CORPUS_DIR: corpusDir,
      PORT: '0',
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.url,
      PUSH_INTERVAL_MS: '50',
      RATE_LIMIT_PER_MINUTE: '100',
    }),
    silentLogger,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await api?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function open(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const phone = viewport.width < 500 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {};
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true, ...phone });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // A refusal the test provokes (4xx) is shown on the page and checked there; Chromium also logs it, which is no fault.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel('用户名').fill(server.firstOfficer!.name);
  await page.getByLabel('密码').fill(server.firstOfficer!.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '问答记录' }).waitFor();
  return { page, problems, close: () => context.close() };
}

const textOf = (message: Record<string, unknown> | undefined) => String(message?.text ?? '');
// Replies go to the numeric chat id of the update; a console send or a push to the id kept as text. Telegram takes either.
const sentToEnterprise = () =>
  api.calls.filter((call) => call.method === 'sendMessage' && String(call.body.chat_id) === String(ENTERPRISE)).map((call) => textOf(call.body));

/** The enterprise writes to the bot on Telegram and gets a reply. */
async function enterpriseSays(text: string): Promise<string> {
  const before = api.sent(ENTERPRISE).length;
  api.push(textUpdate({ text, userId: ENTERPRISE }));
  const replies = await waitFor(() => api.sent(ENTERPRISE).length > before && api.sent(ENTERPRISE), `the reply to ${text}`);
  return textOf(replies.at(-1));
}

async function match(page: Page, words: string): Promise<string> {
  await page.getByRole('link', { name: '政策匹配' }).click();
  await page.getByLabel('企业怎么说的').fill(words);
  await page.getByRole('button', { name: '匹配政策' }).click();
  const result = page.getByTestId('match-result');
  await result.waitFor();
  return (await result.textContent()) ?? '';
}

describe('policy matching pages in a browser', () => {
  it('matches a Qingyuan enterprise on the phone, exports the result and sends it to its chat', async () => {
    // The enterprise wrote to the bot before, so its chat is among the recent ones.
    expect(await enterpriseSays('我们是清远一家28人的小微制造企业，去年营收3000万，能享受哪些政策？')).toContain('深入推进绿色制造体系建设');
    const { page, problems, close } = await open();

    const shown = await match(page, '清远一家28人的小微制造企业,去年营收3000万');
    expect(shown).toContain('清远市|小微企业');
    // "兑现2022年促进小微工业企业上规模发展专项资金" was 2022's payout: not listed any more.
    expect(shown).not.toContain('推动小微工业企业上规模发展');
    const innovation = page.getByRole('region', { name: '研发、技改与转型' });
    const measure = innovation.getByRole('article', { name: '深入推进绿色制造体系建设' });
    expect(await measure.textContent()).toContain('《清远市工业企业绿色发展专项资金管理实施细则》');
    expect(await measure.textContent()).toContain('制造业/工业企业(文件原文“工业企业”)');
    // The reply letter names no department for this item, and the page says so rather than guess one.
    expect(await measure.textContent()).toContain('本条未列明责任单位');
    // Apart: measures whose conditions the rules could not read, with their lead departments and citation.
    const mayApply = page.getByRole('region', { name: '可能适用,请向责任部门确认' });
    // (The 2023 electricity and epidemic water deferrals of 一(五) have lapsed and are not listed.)
    expect(shown).not.toContain('实施电费水费缓缴政策');
    const utilities = mayApply.getByRole('article', { name: '落实“促进就业九条”3.0版' });
    expect(await utilities.textContent()).toContain('为符合条件的企业发放就业创业相关补贴');
    expect(await utilities.textContent()).toContain(`${replyLetter}三(一)`);
    // 清远's 2021 opinions have expired: counted, not listed; 普洱 is another city.
    expect(shown).toMatch(/另有 \d+ 项相符的措施所在文件或实施阶段已过有效期/);
    expect(shown).not.toContain('普洱');
    await shoot(page, 'match');
    await page.getByRole('heading', { name: '匹配结果' }).evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: path.join(artifacts, 'console-match-result.png') });

    // 导出 CSV: the same result as a spreadsheet.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^政策匹配结果-.*\.csv$/);
    expect(csv).toContain('深入推进绿色制造体系建设');
    expect(csv).toContain('落实“促进就业九条”3.0版');
    expect(csv).toContain('清远市|小微企业');

    // A chat that is not running is refused in plain Chinese, and nothing is sent.
    await page.getByLabel('渠道').selectOption('wecom-bot');
    await page.getByLabel('会话编号').fill('zhangsan');
    await page.getByRole('button', { name: '发送到企业会话…' }).click();
    await page.getByRole('button', { name: '确认发送' }).click();
    await expect.poll(() => page.getByTestId('send-result').textContent()).toContain('未能发送:wecom-bot 渠道未运行,无法发送');

    // The enterprise's Telegram chat, chosen from the recent ones, confirmed, and delivered through the Bot API.
    const before = sentToEnterprise().length;
    const recent = page.getByLabel('最近提问的会话');
    const option = await recent.locator('option', { hasText: `会话 ${ENTERPRISE}` }).getAttribute('value');
    await recent.selectOption(option!);
    await page.getByRole('button', { name: '发送到企业会话…' }).click();
    expect(await page.getByRole('status').filter({ hasText: '确定吗' }).textContent()).toContain(`Telegram 会话 ${ENTERPRISE}`);
    await page.getByRole('button', { name: '确认发送' }).click();
    await expect.poll(() => page.getByTestId('send-result').textContent()).toContain(`已发送到 Telegram 会话 ${ENTERPRISE}`);
    const sent = sentToEnterprise().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('【政策服务专员为您匹配的政策】');
    expect(sent[0]).toContain('深入推进绿色制造体系建设');

    // The citation opens the clause in the corpus browser.
    await utilities.getByRole('link', { name: `${replyLetter}三(一)` }).click();
    await page.getByRole('heading', { name: replyLetter.slice(1, -1) }).waitFor();
    const target = page.locator('li.target');
    expect(await target.locator('.answer').first().textContent()).toContain('落实“促进就业九条”3.0版');
    expect(await target.getByTestId('conditions').textContent()).toContain('未能读出');
    expect(problems).toEqual([]);
    await close();
  });

  it("shows each measure's conditions under its clause, keeps an officer's correction, restores the parse, and flags a changed text", async () => {
    // A correction made on an earlier wording of the clause: still applied, and marked for review.
    await server.store.saveConditionCorrection({
      clauseId: '004:一(四)',
      offered: true,
      kinds: ['manufacturing'],
      thresholds: [],
      firstTime: false,
      gives: '',
      verified: false,
      note: '旧文本核定',
      officer: 'admin',
      time: new Date('2026-11-01T02:00:00Z'),
      textHash: 'an-earlier-text',
    });
    const { page, problems, close } = await open();
    await page.goto(`${server.url}/#/corpus/004`);
    await page.getByRole('heading', { name: replyLetter.slice(1, -1) }).waitFor();
    const clause = (id: string) => page.locator(`[id="clause-${id}"]`);
    const conditions = clause('004:二(三)').getByTestId('conditions');
    await conditions.locator('summary').first().click();
    const read = (await conditions.textContent()) ?? '';
    expect(read).toContain('面向');
    expect(read).toContain('制造业/工业企业');
    expect(read).toContain('技术改造专项资金实施细则');
    expect(await clause('004:一(四)').getByTestId('conditions').textContent()).toContain('原文已变更,请复核');

    await conditions.getByText('更正适用条件').click();
    await conditions.getByLabel('门槛').fill('营业收入>=5000');
    await conditions.getByLabel('核定说明').fill('按申报指南:年营收5000万元以上');
    await conditions.getByRole('button', { name: '保存条件' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('适用条件已保存');
    const corrected = conditions;
    await page.reload();
    await corrected.waitFor();
    expect(await corrected.textContent()).toContain('已人工核定');
    expect(await corrected.textContent()).toContain('营业收入≥5000万元');
    expect(await corrected.textContent()).toContain('按申报指南:年营收5000万元以上');
    await corrected.locator('summary').first().click();
    await clause('004:二(三)').screenshot({ path: path.join(artifacts, 'console-clause-conditions.png') });

    // The matcher uses the correction at once: a 3000万 enterprise no longer qualifies.
    expect(await match(page, '清远一家28人的小微制造企业,去年营收3000万')).not.toContain('深入实施技术改造');

    await page.goto(`${server.url}/#/corpus/004`);
    await corrected.waitFor();
    await corrected.locator('summary').first().click();
    await corrected.getByText('更正适用条件').click();
    await corrected.getByRole('button', { name: '恢复解析结果' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('已恢复规则解析的适用条件');
    await expect.poll(() => corrected.textContent()).not.toContain('已人工核定');
    expect(await corrected.textContent()).not.toContain('营业收入≥5000');
    expect(await match(page, '清远一家28人的小微制造企业,去年营收3000万')).toContain('深入实施技术改造');

    // A threshold the form cannot read is refused with the format, and nothing is kept.
    await page.goto(`${server.url}/#/corpus/004`);
    await corrected.waitFor();
    await corrected.locator('summary').first().click();
    await corrected.getByText('更正适用条件').click();
    await corrected.getByLabel('门槛').fill('营收很多');
    await corrected.getByRole('button', { name: '保存条件' }).click();
    await expect.poll(() => corrected.getByRole('status').textContent()).toContain('格式如“营业收入>=2000”');
    expect((await server.store.listConditionCorrections()).map((correction) => correction.clauseId)).toEqual(['004:一(四)']);
    expect(problems).toEqual([]);
    await close();
  });

  it("lists the enterprise's subscription and the push sent after a document is added", async () => {
    expect(await enterpriseSays('订阅')).toContain('已订阅');
    const { page, problems, close } = await open();
    const file = path.join(directory, NEW_QINGYUAN_MEASURES.name);
    writeFileSync(file, NEW_QINGYUAN_MEASURES.text);
    await page.getByRole('link', { name: '政策文件与试问' }).click();
    await page.getByLabel('文件', { exact: true }).setInputFiles(file);
    await page.getByText('文件中没有写明时补充(选填)').click();
    await page.getByLabel('地区').fill('广东省清远市');
    await page.getByRole('button', { name: '上传并加入' }).click();
    await expect.poll(() => page.getByTestId('upload-result').textContent()).toContain('已加入');
    const pushed = await waitFor(() => sentToEnterprise().find((text) => text.includes('【新政策提醒】')), 'the push');
    expect(pushed).toContain('10万元奖励');

    await page.getByRole('link', { name: '订阅与推送' }).click();
    await page.getByRole('heading', { name: '订阅与推送' }).waitFor();
    const subscription = page.getByRole('article', { name: /^订阅/ });
    expect(await subscription.count()).toBe(1);
    expect(await subscription.textContent()).toContain(`会话 ${ENTERPRISE}`);
    expect(await subscription.textContent()).toContain('清远市|小微企业');
    expect(await subscription.textContent()).toContain('Telegram');
    const push = page.getByRole('article', { name: /^推送/ });
    await expect.poll(() => push.textContent()).toContain('已发送');
    expect(await push.textContent()).toContain('《清远市支持小微工业企业稳定发展的若干措施》');
    expect(await push.textContent()).not.toContain('贷款贴息');
    await shoot(page, 'subscriptions');
    // Each measure pushed links to its clause.
    await push.getByRole('link', { name: /二/ }).first().click();
    await page.getByRole('heading', { name: '清远市支持小微工业企业稳定发展的若干措施' }).waitFor();
    expect(await page.locator('li.target').textContent()).toContain('10万元奖励');
    expect(problems).toEqual([]);
    await close();
  });

  it("reads on a phone: the matching form and result, a document's conditions and the subscriptions fit the width", async () => {
    const { page, problems, close } = await open({ width: 390, height: 844 });
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await match(page, '清远一家28人的小微制造企业,去年营收3000万')).toContain('深入推进绿色制造体系建设');
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-match');
    await page.goto(`${server.url}/#/corpus/004?clause=${encodeURIComponent('004:一(五)')}`);
    await page.locator('li.target').getByTestId('conditions').waitFor();
    expect(await noSideways()).toBe(true);
    await page.goto(`${server.url}/#/subscriptions`);
    await page.getByRole('heading', { name: '推送记录' }).waitFor();
    expect(await noSideways()).toBe(true);
    await shoot(page, 'phone-subscriptions');
    expect(problems).toEqual([]);
    await close();
  });
});
