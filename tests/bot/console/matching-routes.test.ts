import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../../bot/app/config.ts';
import { silentLogger } from '../../../bot/logger.ts';
import { readProfile } from '../../../bot/matching/enterprise-profile.ts';
import { startServer } from '../../../bot/app/serve.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let directory: string;
let cookie: string;

/** The fields the console's matching pages read, on the real server (real corpus copy, SQLite file, matcher). */
beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'policybot-matching-routes-'));
  const corpusDir = path.join(directory, 'documents');
  cpSync(path.join(projectRoot, 'corpus', 'documents'), corpusDir, { recursive: true });
  server = await startServer(
    loadConfig({ POLICYBOT_DATA_DIR: path.join(directory, 'data'), CORPUS_DIR: corpusDir, PORT: '0', HOST: '127.0.0.1' }),
    silentLogger,
  );
  const signIn = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.firstOfficer),
  });
  cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await server?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function call(route: string, method = 'GET', body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}/api/${route}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('console API for the matching pages', () => {
  it('gives the form its choices: kinds, industries apart, needs, and topics in the order the chat groups them', async () => {
    const { json } = await call('match/choices');
    expect(json.industries.map((item: { label: string }) => item.label)).toEqual(['制造业/工业企业', '批零住餐企业', '涉农主体']);
    expect(json.kinds.map((item: { label: string }) => item.label)).toContain('高新技术企业');
    expect(json.kinds.map((item: { label: string }) => item.label)).not.toContain('制造业/工业企业');
    expect(json.needs).toContainEqual({ id: 'hire_graduates', label: '招用高校毕业生' });
    expect(json.topics[0]).toEqual({ id: 'money', label: '资金补助与奖励' });
  });

  it("names each match's topic, and asks the chat's follow-up when a missing fact decides between many measures", async () => {
    const vague = await call('match', 'POST', { profile: { text: '我们是一家做五金的小微企业，今年想上规模' } });
    expect(vague.json.follow_up).toContain('请补充:所在地区');
    const qingyuan = await call('match', 'POST', { profile: { text: '清远一家28人的小微企业', kinds: ['manufacturing'], revenue_wan: 3000 } });
    expect(qingyuan.json.follow_up).toBeNull();
    expect(qingyuan.json.summary).toBe('清远市|小微企业|制造业/工业企业|28人|年营收约3000万元');
    expect(qingyuan.json.result.matches).toContainEqual(
      expect.objectContaining({ name: '深入推进绿色制造体系建设', topic: 'innovation', topic_label: '研发、技改与转型' }),
    );
    const refused = await call('match', 'POST', { profile: { text: '清远', employees: -3 } });
    expect(refused).toMatchObject({ status: 400, json: { error: { message: 'employees 须为非负数字' } } });
  });

  it('flags a correction made on an earlier text of the clause, apart from its note; bad input changes nothing', async () => {
    const clauseId = encodeURIComponent('004:一(二)');
    const bad = await call(`conditions/${clauseId}`, 'PUT', { thresholds: '营收很多' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('格式如“营业收入>=2000”');
    expect((await call(`conditions/${clauseId}`)).json.corrected_by).toBeNull();
    const saved = await call(`conditions/${clauseId}`, 'PUT', { thresholds: '营业收入>=5000', note: '按申报指南' });
    expect(saved.json.corrected_by).toMatchObject({ officer: 'admin', note: '按申报指南', stale: false });
    expect(saved.json.thresholds).toEqual([{ text: '营业收入≥5000万元', source: '政策服务专员核定' }]);
    const [kept] = await server.store.listConditionCorrections();
    await server.store.saveConditionCorrection({ ...kept!, textHash: 'an-earlier-text' });
    expect((await call(`conditions/${clauseId}`)).json.corrected_by).toMatchObject({ note: '按申报指南', stale: true });
    expect((await call(`conditions/${clauseId}`, 'DELETE')).json.corrected_by).toBeNull();
    // Admins see who changed a measure's conditions, what it read before and after.
    const audit = (await call('audit')).json.items.filter((entry: { action: string }) => entry.action.startsWith('conditions.'));
    expect(audit.map((entry: { action: string; target: string; officer: string }) => [entry.action, entry.target, entry.officer])).toEqual([
      ['conditions.restore', '004:一(二)', 'admin'],
      ['conditions.correct', '004:一(二)', 'admin'],
    ]);
    expect(audit[1].details.after.thresholds).toEqual([{ text: '营业收入≥5000万元', source: '政策服务专员核定' }]);
  });

  it('reads kinds and thresholds typed with full-width punctuation, as officers type Chinese', async () => {
    const clauseId = encodeURIComponent('000:一(二)');
    const saved = await call(`conditions/${clauseId}`, 'PUT', { kinds: '小微企业，中小企业', thresholds: '营业收入>=2000；员工人数<=30' });
    expect(saved.status).toBe(200);
    expect(saved.json.thresholds.map((threshold: { text: string }) => threshold.text)).toEqual(['营业收入≥2000万元', '员工人数≤30人']);
    expect(saved.json.who.map((kind: { text: string }) => kind.text)).toEqual(['小微企业', '中小企业']);
    await call(`conditions/${clauseId}`, 'DELETE');
  });

  it('pages the pushes apart from the subscriptions, each push with the measures it listed by name', async () => {
    const subscription = await server.store.saveSubscription({
      channel: 'telegram',
      chatId: '4001',
      userId: '4001',
      profile: readProfile('清远一家28人的小微制造企业'),
      profileText: '清远一家28人的小微制造企业',
      time: new Date('2026-12-01T01:00:00Z'),
    });
    for (const [minute, clauseIds] of [
      [1, ['004:一(二)']],
      [2, ['004:一(四)', '004:二(三)']],
      [3, ['004:三(三)']],
    ] as const) {
      await server.store.recordPush({
        subscriptionId: subscription.id,
        channel: 'telegram',
        chatId: '4001',
        docId: '004',
        clauseIds: [...clauseIds],
        text: '【新政策提醒】…',
        time: new Date(`2026-12-01T02:0${minute}:00Z`),
      });
    }
    const first = await call('subscriptions?page_size=2');
    expect(first.json).toMatchObject({ page: 1, has_more: false, push_page: 1, pushes_has_more: true });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.pushes.map((push: { clause_ids: string[] }) => push.clause_ids)).toEqual([['004:三(三)'], ['004:一(四)', '004:二(三)']]);
    const second = await call('subscriptions?page_size=2&push_page=2');
    expect(second.json).toMatchObject({ push_page: 2, pushes_has_more: false });
    expect(second.json.pushes[0].measures).toEqual([
      {
        clause_id: '004:一(二)',
        doc_id: '004',
        name: '《清远市工业和信息化局关于对市八届政协二次会议第20230425号提案答复的函》一(二) 推动小微工业企业上规模发展',
      },
    ]);
  });
});
