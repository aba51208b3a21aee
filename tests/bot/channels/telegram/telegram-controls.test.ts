import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../../bot/channels/telegram/telegram-channel.ts';
import { createDesk, handoffNotice, type Desk } from '../../../../bot/desk/desk.ts';
import { openSqliteStore, type SqliteStore } from '../../../../bot/store/sqlite-store.ts';
import { ScriptedAssistant } from '../../../helpers.ts';
import { RecordingLogger, testConfig, waitFor } from '../channel-helpers.ts';
import { commandEntity, FakeTelegramApi, textUpdate } from './fake-telegram-api.ts';

const TOKEN = '123456789:AAHfakeTokenForLoopbackTests_0123456';
const GROUP = { id: -1_001_234_567_891, type: 'supergroup' as const, title: '园区企业服务群' };

type Sent = Record<string, any>;
const textOf = (message: Sent | undefined) => String(message?.text ?? '');
const buttons = (message: Sent | undefined): Array<{ text: string; callback_data: string }> => (message?.reply_markup?.inline_keyboard ?? []).flat();
const button = (message: Sent | undefined, label: string) => {
  const found = buttons(message).find((candidate) => candidate.text.startsWith(label));
  if (!found) throw new Error(`no button ${label} in ${JSON.stringify(message?.reply_markup)}`);
  return found;
};

describe('Telegram answers carry 👍 / 👎 and 转人工 (inline keyboard, callback queries, against a local Bot API)', () => {
  let api: FakeTelegramApi;
  let channel: TelegramChannel;
  let store: SqliteStore;
  let desk: Desk;

  beforeAll(async () => {
    api = await FakeTelegramApi.start(TOKEN);
    store = openSqliteStore(':memory:');
    const assistant = new ScriptedAssistant((question) =>
      question.text.includes('出口退税')
        ? { refused: true, answer: '现有政策文件未涉及「出口退税」。', citations: [] }
        : question.text.includes('材料')
          ? { decision: 'uncertain' }
          : {},
    );
    desk = createDesk({ assistant, store, channels: () => [channel] });
    channel = createTelegramChannel({
      config: testConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url }),
      assistant: desk,
      feedback: desk,
      logger: new RecordingLogger(),
    });
    await channel.start();
  });

  afterAll(async () => {
    await channel.stop();
    await api.close();
    await store.close();
  });

  /** Asks, and waits for the answer's last message (the one with the keyboard). */
  const answerTo = async (chatId: number, text: string, userId = chatId, chat?: typeof GROUP) => {
    const before = api.sent(chatId).length;
    api.push(textUpdate({ text, userId, ...(chat ? { chat, entities: [commandEntity('/ask')] } : {}) }));
    await waitFor(
      () =>
        api
          .sent(chatId)
          .slice(before)
          .some((message) => message.reply_markup),
      'the answer with its keyboard',
    );
  };

  /** The message id the fake server gave the last message sent to `chatId`. */
  const lastMessageId = (chatId: number): number => api.lastMessage(chatId)!.message_id;

  it('puts 👍 / 👎 under an answer, records a press with the exchange and marks it; the same press again takes it back', async () => {
    await answerTo(3001, '稳岗返还比例是多少？');
    const messageId = lastMessageId(3001);
    const answer = api.message(3001, messageId)!;
    expect(buttons(answer).map((candidate) => candidate.text)).toEqual(['👍 有帮助', '👎 没帮助']);
    expect(textOf(answer)).toContain('牵头单位：市人力资源社会保障局');

    const down = button(answer, '👎').callback_data;
    expect(Buffer.byteLength(down)).toBeLessThanOrEqual(64);
    const query = api.pressButton({ chatId: 3001, messageId, data: down, userId: 3001 });
    await waitFor(() => api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === query), 'the acknowledgement');
    expect(api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === query)?.text).toContain('复核');
    await waitFor(() => button(api.message(3001, messageId), '👎').text.endsWith('✓'), 'the 👎 to be marked');
    const [exchange] = (await store.listExchanges({ chatId: '3001' })).items;
    expect(exchange).toMatchObject({ question: '稳岗返还比例是多少？', feedback: { rating: 'unhelpful', handoffRequested: false } });
    expect((await store.listExchanges({ unhelpfulFirst: true })).items[0]?.id).toBe(exchange!.id);

    api.pressButton({ chatId: 3001, messageId, data: down, userId: 3001 });
    await waitFor(() => !button(api.message(3001, messageId), '👎').text.endsWith('✓'), 'the 👎 to be taken back');
    expect((await store.getExchange(exchange!.id))?.feedback.rating).toBeNull();
    expect((await store.feedbackOf(exchange!.id)).map((item) => item.kind)).toEqual(['cancelled', 'unhelpful']);

    api.pressButton({ chatId: 3001, messageId, data: button(api.message(3001, messageId), '👍').callback_data, userId: 3001 });
    await waitFor(() => button(api.message(3001, messageId), '👍').text.endsWith('✓'), 'the 👍 to be marked');
    expect((await store.getExchange(exchange!.id))?.feedback.rating).toBe('helpful');
  });

  it('offers 转人工 under a refusal instead of opening a hand-off, and one press opens exactly one, said in the chat', async () => {
    await answerTo(3002, '公司可以申请哪些出口退税？');
    const messageId = lastMessageId(3002);
    const refusal = api.message(3002, messageId)!;
    expect(textOf(refusal)).toContain('现有政策文件未涉及「出口退税」。');
    expect(textOf(refusal)).not.toContain('已转政策服务专员跟进');
    expect(buttons(refusal).map((candidate) => candidate.text)).toEqual(['👍 有帮助', '👎 没帮助', '转人工']);
    expect(await store.listHandoffs('open')).toEqual([]);

    const handoff = button(refusal, '转人工').callback_data;
    api.pressButton({ chatId: 3002, messageId, data: handoff, userId: 3002 });
    const notice = await waitFor(() => api.sent(3002).find((message) => textOf(message) === handoffNotice), 'the hand-off notice');
    expect(notice.reply_parameters).toEqual({ message_id: messageId, allow_sending_without_reply: true });
    await waitFor(() => button(api.message(3002, messageId), '已转人工'), 'the button to say it is done');
    expect((await store.listHandoffs('open')).map((item) => item.question)).toEqual(['公司可以申请哪些出口退税？']);

    const again = api.pressButton({ chatId: 3002, messageId, data: handoff, userId: 3002 });
    await waitFor(() => api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === again), 'the second acknowledgement');
    expect(api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === again)?.text).toContain('已在为您转接');
    expect(await store.listHandoffs('open')).toHaveLength(1);
    expect(api.sent(3002).filter((message) => textOf(message) === handoffNotice)).toHaveLength(1);
    const [exchange] = (await store.listExchanges({ chatId: '3002' })).items;
    expect(exchange?.feedback.handoffRequested).toBe(true);
  });

  it('shows an uncertain answer as handed off at once: the button already marked, one ticket', async () => {
    await answerTo(3007, '稳岗返还要交哪些材料？');
    const answer = api.lastMessage(3007)!;
    expect(textOf(answer)).toContain('已转政策服务专员跟进');
    expect(buttons(answer).map((candidate) => candidate.text)).toEqual(['👍 有帮助', '👎 没帮助', '已转人工 ✓']);
    expect((await store.listHandoffs('open')).filter((handoff) => handoff.question === '稳岗返还要交哪些材料？')).toHaveLength(1);
    const press = api.pressButton({ chatId: 3007, messageId: answer.message_id, data: button(answer, '已转人工').callback_data, userId: 3007 });
    await waitFor(() => api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === press), 'the acknowledgement');
    expect(api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === press)?.text).toContain('已在为您转接');
    expect((await store.listHandoffs('open')).filter((handoff) => handoff.question === '稳岗返还要交哪些材料？')).toHaveLength(1);
  });

  it("in a group, counts only the asker's press and tells another member so", async () => {
    await answerTo(GROUP.id, '/ask 稳岗返还比例是多少？', 3003, GROUP);
    const messageId = lastMessageId(GROUP.id);
    const down = button(api.message(GROUP.id, messageId), '👎').callback_data;
    const stranger = api.pressButton({ chatId: GROUP.id, messageId, data: down, userId: 3999 });
    await waitFor(() => api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === stranger), 'the acknowledgement');
    expect(api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === stranger)?.text).toBe('只有提问人可以评价或转接这条回答。');
    const [exchange] = (await store.listExchanges({ chatId: String(GROUP.id) })).items;
    expect(await store.feedbackOf(exchange!.id)).toEqual([]);
    expect(button(api.message(GROUP.id, messageId), '👎').text.endsWith('✓')).toBe(false);

    api.pressButton({ chatId: GROUP.id, messageId, data: down, userId: 3003 });
    await waitFor(() => button(api.message(GROUP.id, messageId), '👎').text.endsWith('✓'), "the asker's 👎");
    expect((await store.getExchange(exchange!.id))?.feedback).toMatchObject({ rating: 'unhelpful' });
  });

  it('acknowledges a press on a button it does not know without recording anything', async () => {
    await answerTo(3004, '稳岗返还比例是多少？');
    const messageId = lastMessageId(3004);
    const forged = api.pressButton({ chatId: 3004, messageId, data: 'fb:up:no-such-answer', userId: 3004 });
    await waitFor(() => api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === forged), 'the acknowledgement');
    expect(api.callsOf('answerCallbackQuery').find((call) => call.callback_query_id === forged)?.text).toBe('暂时无法记录您的反馈，请稍后再试。');
    const [exchange] = (await store.listExchanges({ chatId: '3004' })).items;
    expect(await store.feedbackOf(exchange!.id)).toEqual([]);
  });

  it('answers /help apart from /start, naming 转人工 and /sources', async () => {
    api.push(textUpdate({ text: '/help', userId: 3005, entities: [commandEntity('/help')] }));
    api.push(textUpdate({ text: '/start', userId: 3006, entities: [commandEntity('/start')] }));
    const [help] = await waitFor(() => api.sent(3005).length > 0 && api.sent(3005), '/help');
    const [start] = await waitFor(() => api.sent(3006).length > 0 && api.sent(3006), '/start');
    expect(textOf(help)).not.toBe(textOf(start));
    expect(textOf(help)).toContain('转人工');
    expect(textOf(help)).toContain('/sources');
    expect(textOf(start)).toContain('/help');
  });
});
