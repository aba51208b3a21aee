import { describe, expect, it } from 'vitest';
import type { Question } from '../../../bot/core/answer.ts';
import {
  createDesk,
  DeskError,
  handoffNotice,
  nearIdenticalThreshold,
  normalizeQuestion,
  officerReplyMark,
  questionSimilarity,
  refusalHandoffNote,
  reviewedMark,
} from '../../../bot/desk/desk.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import { RecordingChannel, sampleCitation, ScriptedAssistant } from '../../helpers.ts';

const at = new Date('2025-03-03T02:00:00Z');
function question(text: string, overrides: Partial<Question> = {}): Question {
  return { text, channel: 'wecom-bot', chatId: 'room-7', userId: 'zhang', messageId: 'msg-1', ...overrides };
}

function setUp(reply?: ConstructorParameters<typeof ScriptedAssistant>[0]) {
  const store = openSqliteStore(':memory:');
  const assistant = new ScriptedAssistant(reply);
  const wecom = new RecordingChannel('wecom-bot');
  const desk = createDesk({ assistant, store, channels: () => [wecom], clock: () => at });
  return { store, assistant, wecom, desk };
}

describe('normalizeQuestion', () => {
  it('drops courtesies, punctuation, spaces and traditional forms', async () => {
    expect(normalizeQuestion('你好,請問 穩崗返還比例是多少?謝謝!')).toBe('稳岗返还比例是多少');
    expect(normalizeQuestion('稳岗返还比例是多少')).toBe('稳岗返还比例是多少');
    expect(normalizeQuestion('ＡＢＣ公司１２人')).toBe('abc公司12人');
  });

  it('treats a reworded question as near-identical only when its numbers agree', async () => {
    const asked = normalizeQuestion('我们厂去年裁员率不超过20%,还能拿失业保险稳岗返还吗');
    const reworded = normalizeQuestion('请问我们厂去年裁员率不超过20%,还能拿到失业保险稳岗返还吗?');
    expect(questionSimilarity(asked, reworded)).toBeGreaterThanOrEqual(nearIdenticalThreshold);
    expect(questionSimilarity(asked, normalizeQuestion('我们厂去年裁员率不超过30%,还能拿失业保险稳岗返还吗'))).toBe(0);
    expect(questionSimilarity(asked, normalizeQuestion('工会经费能返还吗'))).toBeLessThan(nearIdenticalThreshold);
  });

  it('tolerates particles, punctuation, word order and a dropped qualifier, not another ask or another measure', async () => {
    const similarity = (a: string, b: string) => questionSimilarity(normalizeQuestion(a), normalizeQuestion(b));
    const same = ['稳岗返还的比例是多少?', '稳岗返还比例,是多少', '比例是多少,稳岗返还', '失业保险稳岗返还比例是多少'];
    for (const variant of same)
      expect({ variant, close: similarity('稳岗返还比例是多少', variant) >= nearIdenticalThreshold }).toEqual({ variant, close: true });
    const different = ['稳岗返还怎么申请', '稳岗补贴比例是多少', '工会经费返还比例是多少', '稳岗返还找哪个部门'];
    for (const variant of different)
      expect({ variant, close: similarity('稳岗返还比例是多少', variant) >= nearIdenticalThreshold }).toEqual({ variant, close: false });
    expect(similarity('工业用地有什么支持', '商业用地有什么支持')).toBeLessThan(nearIdenticalThreshold);
  });
});

describe('createDesk', () => {
  it('answers through the assistant and logs the exchange', async () => {
    const { desk, store } = setUp();
    const answer = await desk.ask(question('稳岗返还比例是多少?'));
    expect(answer.mode).toBe('extractive');
    const [logged] = (await store.listExchanges({})).items;
    expect(logged).toMatchObject({
      channel: 'wecom-bot',
      chatId: 'room-7',
      userId: 'zhang',
      messageId: 'msg-1',
      question: '稳岗返还比例是多少?',
      answer: answer.answer,
      mode: 'extractive',
      refused: false,
    });
    expect(logged?.citations[0]?.clause_label).toBe('(二)');
  });

  it('returns the officer-approved answer, marked and with its citations, for a near-identical question on another channel', async () => {
    const { desk, store, assistant } = setUp();
    const { exchange } = await desk.handle(question('我们厂去年裁员率不超过20%,还能拿失业保险稳岗返还吗?'));
    const corrected = '可以。裁员率不超过20%的参保企业可申请稳岗返还,中小微企业按60%返还。';
    await desk.review({ exchangeId: exchange.id, verdict: 'incomplete', note: '未说明裁员率', correctedAnswer: corrected, reviewer: '王芳' });

    const again = await desk.ask(question('请问,我们厂去年裁员率不超过20%,还能拿到失业保险稳岗返还吗', { channel: 'telegram', chatId: '99' }));
    expect(again.mode).toBe('reviewed');
    expect(again.answer.startsWith(`${reviewedMark}\n${corrected}\n\n出处：\n[1] `)).toBe(true);
    expect(again.decision).toBe('answered');
    expect(again.citations.map((citation) => citation.lead_departments)).toEqual([['市人力资源社会保障局']]);
    expect(assistant.questions).toHaveLength(1);
    const [served] = (await store.listExchanges({ channel: 'telegram' })).items;
    expect(served).toMatchObject({ mode: 'reviewed', reviewedAnswerId: expect.any(Number) });

    const different = await desk.ask(question('我们厂去年裁员率不超过30%,还能拿失业保险稳岗返还吗?'));
    expect(different.mode).toBe('extractive');
  });

  it('stops serving an approved answer an officer marks wrong', async () => {
    const { desk, store } = setUp();
    const first = await desk.handle(question('工会经费能返还吗?'));
    await desk.review({ exchangeId: first.exchange.id, verdict: 'correct', note: '', correctedAnswer: null, reviewer: '王芳' });
    const served = await desk.handle(question('工会经费能返还吗'));
    expect(served.answer.mode).toBe('reviewed');
    const outcome = await desk.review({ exchangeId: served.exchange.id, verdict: 'wrong', note: '政策已到期', correctedAnswer: null, reviewer: '李强' });
    expect(outcome.retiredAnswerId).toBe(served.exchange.reviewedAnswerId);
    expect((await desk.ask(question('工会经费能返还吗'))).mode).toBe('extractive');
    expect(await store.listReviewedAnswers()).toEqual([]);
  });

  it('opens a hand-off on 转人工 for the question asked just before, and says an officer will follow up', async () => {
    const { desk, store, assistant } = setUp();
    await desk.ask(question('小微企业的工会经费能退吗?'));
    const { answer, handoff } = await desk.handle(question('转人工', { messageId: 'msg-2' }));
    expect(answer).toMatchObject({ mode: 'handoff', answer: handoffNotice, refused: false });
    expect(assistant.questions).toHaveLength(1);
    expect(await store.listHandoffs('open')).toMatchObject([{ id: handoff?.id, question: '小微企业的工会经费能退吗?' }]);
  });

  it('opens a hand-off when the assistant refuses, keeping the refusal', async () => {
    const { desk, store } = setUp(() => ({ refused: true, answer: '现有政策文件中没有找到相关规定。', citations: [] }));
    const answer = await desk.ask(question('公司可以申请哪些出口退税?'));
    expect(answer.refused).toBe(true);
    expect(answer.answer).toContain(refusalHandoffNote);
    expect((await store.listHandoffs('open')).map((handoff) => handoff.question)).toEqual(['公司可以申请哪些出口退税?']);
    expect((await store.listExchanges({ refusedOnly: true })).total).toBe(1);
  });

  it('does not hand off questions asked in the console', async () => {
    const { desk, store } = setUp(() => ({ refused: true, citations: [] }));
    await desk.ask(question('转人工', { channel: 'console' }));
    await desk.ask(question('出口退税?', { channel: 'console' }));
    expect(await store.listHandoffs()).toEqual([]);
  });

  it('replies to a chat stored as "wecom" (before the modes were named apart) and takes its buttons', async () => {
    const store = openSqliteStore(':memory:');
    const bot = new RecordingChannel('wecom-bot');
    const app = new RecordingChannel('wecom-callback');
    const desk = createDesk({ assistant: new ScriptedAssistant(), store, channels: () => [bot, app], clock: () => at });
    await desk.handle(question('小微企业的工会经费能退吗?', { channel: 'wecom', replyRef: 'fb-old' }));
    const { handoff } = await desk.handle(question('转人工', { channel: 'wecom', messageId: 'msg-2' }));
    await desk.replyToHandoff(handoff?.id ?? 0, '王芳', '请到区总工会办理。', false);
    expect(app.sent.map((sent) => sent.chatId)).toEqual(['room-7']);
    expect(bot.sent).toEqual([]);
    const rated = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-old', userId: 'zhang', kind: 'helpful' });
    expect(rated.rating).toBe('helpful');
  });

  it('delivers an officer reply to the same chat, threaded, logs it and can save it as the approved answer', async () => {
    const { desk, store, wecom, assistant } = setUp();
    await desk.ask(question('小微企业的工会经费能退吗?'));
    const { handoff } = await desk.handle(question('转人工', { messageId: 'msg-2' }));
    const reply = '小微企业缴纳的工会经费全额返还,由市总工会负责。';
    const result = await desk.replyToHandoff(handoff?.id ?? 0, '王芳', reply, true);

    expect(wecom.sent).toEqual([{ chatId: 'room-7', text: `${officerReplyMark}\n${reply}`, replyToMessageId: 'msg-2' }]);
    expect(result.handoff).toMatchObject({ status: 'answered', reply: { text: reply, repliedBy: '王芳' } });
    expect(await store.getExchange(result.exchange.id)).toMatchObject({
      channel: 'wecom-bot',
      chatId: 'room-7',
      question: '小微企业的工会经费能退吗?',
      answeredBy: '王芳',
      mode: 'handoff',
    });
    const later = await desk.ask(question('你好,小微企业的工会经费能退吗', { channel: 'telegram', chatId: '5' }));
    expect(later).toMatchObject({ mode: 'reviewed', answer: `${reviewedMark}\n${reply}` });
    expect(assistant.questions).toHaveLength(1);

    await expect(desk.replyToHandoff(handoff?.id ?? 0, '李强', '再答一次', false)).rejects.toMatchObject({ code: 'HANDOFF_ANSWERED' });
  });

  it('sends one reply when two officers answer the same hand-off at once', async () => {
    const { desk, store, wecom } = setUp();
    const { handoff } = await desk.handle(question('转人工 稳岗返还怎么申请'));
    const results = await Promise.allSettled([
      desk.replyToHandoff(handoff?.id ?? 0, '王芳', '请向市人社局申请。', true),
      desk.replyToHandoff(handoff?.id ?? 0, '李强', '请登录粤省事申请。', false),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(wecom.sent).toHaveLength(1);
    expect((await store.listExchanges({ chatId: 'room-7' })).items.filter((exchange) => exchange.answeredBy)).toHaveLength(1);
    // Saved under the question without "转人工", so the plain question finds it.
    expect((await desk.ask(question('稳岗返还怎么申请?', { channel: 'telegram' }))).mode).toBe('reviewed');
  });

  it('never keys an approved answer on a bare greeting', async () => {
    const { desk, store } = setUp();
    const { exchange } = await desk.handle(question('你好!'));
    expect(exchange.normalizedQuestion).toBe('');
    expect(
      (await desk.review({ exchangeId: exchange.id, verdict: 'correct', note: '', correctedAnswer: '您好,请问有什么可以帮您?', reviewer: '王芳' }))
        .reviewedAnswer,
    ).toBeNull();
    expect(await store.listReviewedAnswers()).toEqual([]);
  });

  it('keeps the hand-off open when its channel is not running', async () => {
    const store = openSqliteStore(':memory:');
    const desk = createDesk({ assistant: new ScriptedAssistant(), store, channels: () => [], clock: () => at });
    const { handoff } = await desk.handle(question('转人工 我想问稳岗返还怎么申请', { channel: 'telegram', chatId: '12' }));
    expect(handoff?.question).toBe('转人工 我想问稳岗返还怎么申请');
    const attempt = desk.replyToHandoff(handoff?.id ?? 0, '王芳', '请到人社局办理', false);
    await expect(attempt).rejects.toBeInstanceOf(DeskError);
    await expect(attempt).rejects.toMatchObject({ code: 'CHANNEL_UNAVAILABLE', message: expect.stringContaining('telegram') });
    expect(await store.listHandoffs('open')).toHaveLength(1);
  });

  it('keeps one ticket when a refusal is followed by 转人工 in the same chat, with the reason and when the asker asked', async () => {
    const { desk, store } = setUp((asked) =>
      asked.text.includes('出口退税') ? { refused: true, answer: '现有政策文件中没有找到相关规定。', citations: [] } : {},
    );
    const refused = await desk.handle(question('公司可以申请哪些出口退税?'));
    expect(refused.handoff).toMatchObject({ reason: 'refused', requestedAt: null, asks: 1 });
    const requested = await desk.handle(question('转人工', { messageId: 'msg-2' }));
    expect(requested.handoff).toMatchObject({ id: refused.handoff?.id, reason: 'refused', requestedAt: at, asks: 2, lastExchangeId: requested.exchange.id });
    // Another chat asking the same opens its own ticket; so does another question in the first chat.
    await desk.handle(question('转人工 公司可以申请哪些出口退税?', { chatId: 'room-8' }));
    await desk.handle(question('稳岗返还找哪个部门?'));
    await desk.handle(question('转人工'));
    const open = await store.listHandoffs('open');
    expect(open.map((handoff) => [handoff.chatId, handoff.question, handoff.reason])).toEqual([
      ['room-7', '公司可以申请哪些出口退税?', 'refused'],
      ['room-8', '转人工 公司可以申请哪些出口退税?', 'requested'],
      ['room-7', '稳岗返还找哪个部门?', 'requested'],
    ]);
    // A 转人工 after an answer carries the measures the asker was shown with it.
    expect(open[2]?.citations.map((citation) => citation.clause_label)).toEqual(['(二)']);
  });

  it('opens an uncertain ticket with the related provisions shown, and refuses a reply once it is closed', async () => {
    const { desk, store } = setUp(() => ({ decision: 'uncertain', answer: '以下规定与您的问题最接近。' }));
    const { handoff, answer } = await desk.handle(question('首贷贴息什么时候到账?'));
    expect(answer.decision).toBe('uncertain');
    expect(handoff).toMatchObject({ reason: 'uncertain', citations: [expect.objectContaining({ clause_id: '000:一(二)' })] });
    expect((await store.listExchanges({ decision: 'uncertain' })).total).toBe(1);
    await store.resolveHandoff(handoff?.id ?? 0, { status: 'dismissed', by: '李强', time: at, note: '测试' });
    await expect(desk.replyToHandoff(handoff?.id ?? 0, '王芳', '已处理', false)).rejects.toMatchObject({ code: 'HANDOFF_CLOSED' });
  });

  it('serves a refusal an officer found correct as the reviewed "no provision" answer, without citations or a ticket', async () => {
    const { desk, store } = setUp(() => ({ refused: true, answer: '现有政策文件中没有找到关于出口退税的规定。', citations: [] }));
    const { exchange } = await desk.handle(question('出口退税怎么申请?'));
    const outcome = await desk.review({ exchangeId: exchange.id, verdict: 'correct', note: '确无规定', correctedAnswer: null, reviewer: '王芳' });
    expect(outcome.reviewedAnswer?.answer).toBe('现有政策文件中没有找到关于出口退税的规定。');
    const again = await desk.handle(question('出口退税怎么申请', { chatId: 'room-9' }));
    expect(again.answer).toMatchObject({ mode: 'reviewed', decision: 'answered', citations: [] });
    expect(again.answer.answer).toBe(`${reviewedMark}\n现有政策文件中没有找到关于出口退税的规定。`);
    expect(again.handoff).toBeNull();
    expect((await store.listHandoffs('open')).map((handoff) => handoff.chatId)).toEqual(['room-7']);
  });

  it("uses an approved answer's own threshold: 1 means the same words only", async () => {
    const { desk, store } = setUp();
    const { exchange } = await desk.handle(question('失业保险稳岗返还比例是多少?'));
    const { reviewedAnswer } = await desk.review({ exchangeId: exchange.id, verdict: 'correct', note: '', correctedAnswer: null, reviewer: '王芳' });
    expect((await desk.ask(question('稳岗返还的比例是多少'))).mode).toBe('reviewed');
    await store.updateReviewedAnswer(reviewedAnswer?.id ?? 0, { minSimilarity: 1, editedBy: '王芳', time: at });
    expect((await desk.ask(question('稳岗返还的比例是多少'))).mode).toBe('extractive');
    expect((await desk.ask(question('失业保险稳岗返还的比例是多少?'))).mode).toBe('reviewed');
  });

  it('keeps only the citations the officer chose with a correction', async () => {
    const { desk } = setUp(() => ({
      citations: [sampleCitation(), sampleCitation({ clause_id: '000:一(四)', clause_label: '(四)', lead_departments: ['市总工会'] })],
    }));
    const { exchange } = await desk.handle(question('工会经费能返还吗?'));
    const outcome = await desk.review({
      exchangeId: exchange.id,
      verdict: 'wrong',
      note: '引错条款',
      correctedAnswer: '全额返还。',
      keepClauseIds: ['000:一(四)'],
      reviewer: '王芳',
    });
    expect(outcome.reviewedAnswer?.citations.map((citation) => citation.clause_label)).toEqual(['(四)']);
  });

  it('records 👍 / 👎 with the exchange the answer went out under, the latest counting', async () => {
    const { desk, store } = setUp();
    const { exchange } = await desk.handle(question('稳岗返还比例是多少?', { replyRef: 'fb-1' }));
    expect(exchange.replyRef).toBe('fb-1');
    await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-1', userId: 'zhang', kind: 'helpful' });
    const outcome = await desk.recordFeedback({
      channel: 'wecom-bot',
      replyRef: 'fb-1',
      userId: 'zhang',
      kind: 'unhelpful',
      comment: ' 比例不对 ',
      reasons: [1],
    });
    expect(outcome).toMatchObject({ handoff: null, handoffId: null, rating: 'unhelpful', feedback: { kind: 'unhelpful', comment: '比例不对', reasons: [1] } });
    expect(outcome.exchange.feedback).toMatchObject({ rating: 'unhelpful', handoffRequested: false });
    expect((await store.getExchange(exchange.id))?.feedback.rating).toBe('unhelpful');
    expect(await store.listHandoffs('open')).toEqual([]);
  });

  it('opens one hand-off for 转人工 pressed on an answer, and keeps the one a refusal already opened', async () => {
    const { desk, store } = setUp((asked) =>
      asked.text.includes('出口退税') ? { refused: true, answer: '现有政策文件未涉及。', citations: [] } : { decision: 'uncertain' },
    );
    const uncertain = await desk.handle(question('稳岗返还要交哪些材料?', { replyRef: 'fb-2' }));
    const pressed = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-2', userId: 'zhang', kind: 'handoff' });
    const again = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-2', userId: 'zhang', kind: 'handoff' });
    expect(pressed).toMatchObject({ handoffAlreadyOpen: true });
    expect(again).toMatchObject({ handoffId: pressed.handoffId, handoffAlreadyOpen: true });
    expect(uncertain.handoff?.id).toBe(pressed.handoffId);

    const refused = await desk.handle(question('公司可以申请哪些出口退税?', { replyRef: 'fb-3', messageId: 'msg-3' }));
    const onRefusal = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-3', userId: 'zhang', kind: 'handoff' });
    expect(onRefusal.handoffId).toBe(refused.handoff?.id);
    expect((await store.listHandoffs('open')).map((handoff) => handoff.question)).toEqual(['稳岗返还要交哪些材料?', '公司可以申请哪些出口退税?']);
    expect((await store.getExchange(refused.exchange.id))?.feedback.handoffRequested).toBe(true);
  });

  it("leaves the hand-off to the asker's press where the channel shows a 转人工 button, and opens exactly one on the press", async () => {
    const { desk, store } = setUp(() => ({ refused: true, answer: '现有政策文件未涉及「出口退税」。', citations: [] }));
    const { answer, handoff } = await desk.handle(question('公司可以申请哪些出口退税?', { replyRef: 'fb-5', offersHandoffButton: true }));
    expect(handoff).toBeNull();
    expect(answer.answer).not.toContain(refusalHandoffNote);
    expect(answer.answer).toContain('现有政策文件未涉及「出口退税」。');
    expect(await store.listHandoffs('open')).toEqual([]);
    const pressed = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-5', userId: 'zhang', kind: 'handoff' });
    expect(pressed).toMatchObject({ handoffAlreadyOpen: false, handoff: { question: '公司可以申请哪些出口退税?', status: 'open' } });
    const again = await desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-5', userId: 'zhang', kind: 'handoff' });
    expect(again).toMatchObject({ handoffAlreadyOpen: true, handoffId: pressed.handoffId });
    expect(await store.listHandoffs('open')).toHaveLength(1);
  });

  it("counts only the asker's presses: another group member's is refused and not recorded", async () => {
    const { desk, store } = setUp();
    const { exchange } = await desk.handle(question('稳岗返还比例是多少?', { replyRef: 'fb-6' }));
    await expect(desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'fb-6', userId: 'li', kind: 'unhelpful' })).rejects.toMatchObject({ code: 'NOT_ASKER' });
    expect(await store.feedbackOf(exchange.id)).toEqual([]);
  });

  it('refuses feedback under a reference no answer went out under, recording nothing', async () => {
    const { desk, store } = setUp();
    await desk.handle(question('稳岗返还比例是多少?', { replyRef: 'fb-4' }));
    await expect(desk.recordFeedback({ channel: 'telegram', replyRef: 'fb-4', userId: 'zhang', kind: 'helpful' })).rejects.toMatchObject({
      code: 'EXCHANGE_NOT_FOUND',
    });
    await expect(desk.recordFeedback({ channel: 'wecom-bot', replyRef: 'nope', userId: 'zhang', kind: 'helpful' })).rejects.toBeInstanceOf(DeskError);
    expect((await store.listExchanges({ rating: 'helpful' })).total).toBe(0);
  });
});
