import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../../bot/desk/channel.ts';
import { createWeComBotChannel } from '../../../../bot/channels/wecom/wecom-bot-channel.ts';
import { createDesk, refusalHandoffNote, type Desk } from '../../../../bot/desk/desk.ts';
import { openSqliteStore, type SqliteStore } from '../../../../bot/store/sqlite-store.ts';
import { ScriptedAssistant } from '../../../helpers.ts';
import { RecordingLogger, testConfig, waitFor } from '../channel-helpers.ts';
import { FakeWeComServer, textMessage, type Frame } from './fake-wecom-ws-server.ts';

const BOT_ID = 'aib-policy';
const SECRET = 'wecom-bot-secret-for-tests';

const finalFrame = (frames: Frame[]) => frames.find((frame) => frame.body?.stream?.finish === true);

describe('WeCom smart bot: feedback on every answer, a 转人工 card under the ones it could not give (local long connection)', () => {
  let server: FakeWeComServer;
  let channel: Channel;
  let store: SqliteStore;
  let desk: Desk;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    server = await FakeWeComServer.start(BOT_ID, SECRET);
    store = openSqliteStore(':memory:');
    const assistant = new ScriptedAssistant((question) =>
      question.text.includes('出口退税')
        ? { refused: true, answer: '现有政策文件未涉及「出口退税」。', citations: [] }
        : question.text.includes('材料')
          ? { decision: 'uncertain' }
          : {},
    );
    desk = createDesk({ assistant, store, channels: () => [channel] });
    channel = createWeComBotChannel({
      config: testConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: SECRET, WECOM_WS_URL: server.url }),
      assistant: desk,
      feedback: desk,
      logger,
    });
    await channel.start();
  });

  afterAll(async () => {
    await channel.stop();
    await server.close();
    await store.close();
  });

  const ask = async (text: string, from: string, group?: string) => {
    const reqId = server.pushMessage(textMessage({ text, from, ...(group ? { group } : {}) }));
    const frames = await waitFor(() => finalFrame(server.repliesTo(reqId)) && server.repliesTo(reqId), 'the final frame');
    return { reqId, frames };
  };

  it("sets a feedback id on the stream's first frame and records the asker's 👍 / 👎 with the exchange", async () => {
    const { frames } = await ask('稳岗返还比例是多少？', 'lisi');
    const first = frames[0]!.body!.stream;
    expect(first).toMatchObject({ finish: false, content: '正在查找相关政策…', feedback: { id: expect.stringMatching(/^[\w-]{16}$/) } });
    // The id is set once: later frames of the stream carry none (the SDK sends it on the first reply only).
    expect(frames.slice(1).every((frame) => frame.body?.stream?.feedback === undefined)).toBe(true);
    const final = finalFrame(frames)!;
    expect(final.body).toMatchObject({ msgtype: 'stream' });
    expect(final.body!.template_card).toBeUndefined();
    const [exchange] = (await store.listExchanges({ chatId: 'lisi' })).items;
    expect(exchange?.replyRef).toBe(first.feedback.id);

    const event = server.pushEvent('feedback_event', 'lisi', {
      feedback_event: { id: first.feedback.id, type: 2, content: '比例写错了', inaccurate_reason_list: [2, 4] },
    });
    const recorded = await waitForFeedback(store, exchange!.id, 1);
    // WeCom shows its own acknowledgement of the rating: nothing is sent back.
    expect(server.repliesTo(event)).toEqual([]);
    expect(recorded[0]).toMatchObject({ kind: 'unhelpful', comment: '比例写错了', reasons: [2, 4], userId: 'lisi' });
    expect((await store.getExchange(exchange!.id))?.feedback.rating).toBe('unhelpful');
    expect((await store.listExchanges({ unhelpfulFirst: true })).items[0]?.id).toBe(exchange!.id);

    server.pushEvent('feedback_event', 'lisi', { feedback_event: { id: first.feedback.id, type: 3 } });
    await waitForFeedback(store, exchange!.id, 2);
    expect((await store.getExchange(exchange!.id))?.feedback.rating).toBeNull();
  });

  it('sends a 转人工 card with the final frame of a refusal, opens the hand-off on the press and updates the card', async () => {
    const { frames } = await ask('公司可以申请哪些出口退税？', 'wangwu');
    const final = finalFrame(frames)!;
    expect(final.cmd).toBe('aibot_respond_msg');
    expect(final.body!.msgtype).toBe('stream_with_template_card');
    expect(final.body!.stream.content).toContain('现有政策文件未涉及「出口退税」。');
    expect(final.body!.stream.content).not.toContain(refusalHandoffNote);
    const card = final.body!.template_card;
    expect(card).toMatchObject({ card_type: 'button_interaction', button_list: [{ text: '转人工', key: 'handoff' }] });
    expect(card.task_id).toMatch(/^[\w@-]{1,128}$/);
    expect(card.task_id).toBe(`handoff-${frames[0]!.body!.stream.feedback.id}`);
    expect(await store.listHandoffs('open')).toEqual([]);

    const press = server.pushEvent('template_card_event', 'wangwu', {
      template_card_event: { card_type: 'button_interaction', event_key: 'handoff', task_id: card.task_id },
    });
    const [update] = await waitFor(() => server.repliesTo(press).length > 0 && server.repliesTo(press), 'the card update');
    expect(update).toMatchObject({
      cmd: 'aibot_respond_update_msg',
      body: { response_type: 'update_template_card', userids: ['wangwu'], template_card: { card_type: 'button_interaction', task_id: card.task_id } },
    });
    expect(update!.body!.template_card.main_title.title).toBe('已转人工');
    expect((await store.listHandoffs('open')).map((handoff) => handoff.question)).toEqual(['公司可以申请哪些出口退税？']);
    const [exchange] = (await store.listExchanges({ chatId: 'wangwu' })).items;
    expect(exchange?.feedback.handoffRequested).toBe(true);

    const again = server.pushEvent('template_card_event', 'wangwu', {
      template_card_event: { card_type: 'button_interaction', event_key: 'handoff', task_id: card.task_id },
    });
    const [second] = await waitFor(() => server.repliesTo(again).length > 0 && server.repliesTo(again), 'the second update');
    expect(second!.body!.template_card.main_title.desc).toContain('已在为您转接');
    expect(await store.listHandoffs('open')).toHaveLength(1);
  });

  it("shows an uncertain answer as handed off already, and in a group only the asker's press counts", async () => {
    const { frames } = await ask('@政策助手 稳岗返还要交哪些材料？', 'zhaoliu', 'group-park');
    const final = finalFrame(frames)!;
    expect(final.body!.stream.content).toContain('已转政策服务专员跟进');
    const card = final.body!.template_card;
    expect(card).toMatchObject({ main_title: { title: '已转人工' }, button_list: [{ text: '✓ 已转人工', key: 'handoff' }] });
    const stranger = server.pushEvent(
      'template_card_event',
      'qianqi',
      {
        template_card_event: { card_type: 'button_interaction', event_key: 'handoff', task_id: card.task_id },
      },
      'group-park',
    );
    const [update] = await waitFor(() => server.repliesTo(stranger).length > 0 && server.repliesTo(stranger), "the stranger's card update");
    expect(update!.body).toMatchObject({ userids: ['qianqi'], template_card: { main_title: { desc: '只有提问人可以评价或转接这条回答。' } } });
    // An uncertain answer is handed to an officer at once (one ticket); the stranger's press adds none.
    expect((await store.listHandoffs('open')).filter((handoff) => handoff.question.includes('稳岗返还要交哪些材料'))).toHaveLength(1);
    // The asker's press confirms the hand-off already open; still one ticket.
    const asker = server.pushEvent(
      'template_card_event',
      'zhaoliu',
      {
        template_card_event: { card_type: 'button_interaction', event_key: 'handoff', task_id: card.task_id },
      },
      'group-park',
    );
    const [confirmed] = await waitFor(() => server.repliesTo(asker).length > 0 && server.repliesTo(asker), "the asker's card update");
    expect(confirmed!.body!.template_card.main_title.desc).toContain('已在为您转接');
    expect((await store.listHandoffs('open')).filter((handoff) => handoff.question.includes('稳岗返还要交哪些材料'))).toHaveLength(1);
  });

  it('ignores feedback under an id it never gave, recording nothing', async () => {
    const before = (await store.listExchanges({})).items.map((item) => item.feedback);
    server.pushEvent('feedback_event', 'lisi', { feedback_event: { id: 'never-given-0000', type: 1 } });
    await waitFor(() => logger.lines.some((line) => line.message === '企业微信反馈未能记录'), 'the log line');
    expect((await store.listExchanges({})).items.map((item) => item.feedback)).toEqual(before);
  });
});

async function waitForFeedback(store: SqliteStore, exchangeId: number, count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const recorded = await store.feedbackOf(exchangeId);
    if (recorded.length >= count) return recorded;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} feedback records`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
