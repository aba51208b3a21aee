import { describe, expect, it } from 'vitest';
import type { ExchangeInput, HandoffInput, OutboxInput, Store } from '../../../bot/store/store.ts';
import { storeChannelState } from '../../../bot/channels/channel-state.ts';
import { sampleCitation } from '../../helpers.ts';

/** Behaviour every Store must have; run once per implementation. */
export function storeContract(
  name: string,
  open: () => Store | Promise<Store>,
  /** Two stores on one database, as two workers have; omitted where there can be only one (in memory). */
  openPair?: () => Promise<[Store, Store]>,
): void {
  const time = new Date('2025-03-03T02:00:00Z');
  const exchange = (overrides: Partial<ExchangeInput> = {}): ExchangeInput => ({
    time,
    channel: 'telegram',
    chatId: 'chat-1',
    userId: 'user-1',
    messageId: '41',
    question: '稳岗返还比例是多少?',
    normalizedQuestion: '稳岗返还比例是多少',
    answer: '中小微企业按60%返还。',
    citations: [sampleCitation()],
    decision: 'answered',
    mode: 'extractive',
    latencyMs: 12,
    answeredBy: null,
    reviewedAnswerId: null,
    ...overrides,
  });
  const exchangeInput = exchange;
  const ticket = (exchangeId: number, reason: HandoffInput['reason'], overrides: Partial<HandoffInput> = {}): HandoffInput => ({
    exchangeId,
    channel: 'telegram',
    chatId: 'chat-1',
    question: '稳岗返还比例是多少?',
    normalizedQuestion: '稳岗返还比例是多少',
    reason,
    citations: [sampleCitation()],
    time,
    ...overrides,
  });

  describe(`Store contract: ${name}`, () => {
    it('lists subscriptions oldest first and pushes newest first, a page at a time, pushes by status', async () => {
      const store = await open();
      const subscriptions = [];
      for (let index = 0; index < 3; index += 1) {
        subscriptions.push(
          await store.saveSubscription({
            channel: 'telegram',
            chatId: `chat-${index}`,
            userId: `user-${index}`,
            profile: { region: '清远' },
            profileText: `清远企业${index}`,
            time: new Date(time.getTime() + index * 1000),
          }),
        );
      }
      expect((await store.listSubscriptions({ limit: 2, offset: 0 })).map((subscription) => subscription.chatId)).toEqual(['chat-0', 'chat-1']);
      expect((await store.listSubscriptions({ limit: 2, offset: 2 })).map((subscription) => subscription.chatId)).toEqual(['chat-2']);
      expect(await store.listSubscriptions()).toHaveLength(3);
      for (const [index, subscription] of subscriptions.entries()) {
        const push = await store.recordPush({
          subscriptionId: subscription.id,
          channel: 'telegram',
          chatId: subscription.chatId,
          docId: '000',
          clauseIds: ['000:(二)'],
          text: `推送${index}`,
          time: new Date(time.getTime() + index * 1000),
        });
        if (index === 1) await store.markPush(push.id, { status: 'sent', error: null, time });
      }
      expect((await store.listPushes(undefined, { limit: 2, offset: 0 })).map((push) => push.text)).toEqual(['推送2', '推送1']);
      expect((await store.listPushes('pending', { limit: 1, offset: 1 })).map((push) => push.text)).toEqual(['推送0']);
      expect((await store.listPushes('sent')).map((push) => push.text)).toEqual(['推送1']);
      expect(await store.listPushes()).toHaveLength(3);
      await store.close();
    });

    it('keeps an exchange with its citations and shows the latest verdict', async () => {
      const store = await open();
      const saved = await store.recordExchange(exchange());
      expect(await store.getExchange(saved.id)).toMatchObject({ question: '稳岗返还比例是多少?', latestReview: null, messageId: '41' });
      expect((await store.getExchange(saved.id))?.citations[0]?.lead_departments).toEqual(['市人力资源社会保障局']);
      await store.addReview({ exchangeId: saved.id, verdict: 'incomplete', note: '缺裁员率', correctedAnswer: null, reviewer: '王', time });
      await store.addReview({ exchangeId: saved.id, verdict: 'correct', note: '', correctedAnswer: null, reviewer: '李', time });
      expect((await store.getExchange(saved.id))?.latestReview).toMatchObject({ verdict: 'correct', reviewer: '李' });
      expect((await store.reviewsOf(saved.id)).map((review) => review.verdict)).toEqual(['correct', 'incomplete']);
      await store.close();
    });

    it('filters the log by channel, dates, document, department, verdict, refusal and text, newest first', async () => {
      const store = await open();
      const first = await store.recordExchange(exchange({ time: new Date('2025-03-01T01:00:00Z') }));
      const refused = await store.recordExchange(
        exchange({
          time: new Date('2025-03-02T01:00:00Z'),
          channel: 'wecom',
          question: '明天天气如何',
          answer: '现有政策文件中没有相关规定。',
          decision: 'refused',
          citations: [],
        }),
      );
      const otherDocument = await store.recordExchange(
        exchange({
          time: new Date('2025-03-03T01:00:00Z'),
          question: '工会经费能返还吗',
          citations: [sampleCitation({ doc_id: '001', lead_departments: ['市总工会'], support_departments: [] })],
        }),
      );
      await store.addReview({ exchangeId: first.id, verdict: 'wrong', note: '', correctedAnswer: null, reviewer: '王', time });
      const ids = async (filter: Parameters<Store['listExchanges']>[0]): Promise<number[]> => (await store.listExchanges(filter)).items.map((item) => item.id);
      expect(await ids({})).toEqual([otherDocument.id, refused.id, first.id]);
      expect(await ids({ channel: 'wecom' })).toEqual([refused.id]);
      expect(await ids({ from: new Date('2025-03-02T00:00:00Z'), to: new Date('2025-03-03T00:00:00Z') })).toEqual([refused.id]);
      expect(await ids({ docId: '001' })).toEqual([otherDocument.id]);
      expect(await ids({ department: { names: ['市税务局'] } })).toEqual([first.id]);
      expect(await ids({ department: { names: ['市总工会'] } })).toEqual([otherDocument.id]);
      // Two spellings of one department, and the same name limited to another city's documents.
      expect(await ids({ department: { names: ['市总工会', '市人力资源社会保障局'] } })).toEqual([otherDocument.id, first.id]);
      expect(await ids({ department: { names: ['市总工会', '市人力资源社会保障局'], docIds: ['000'] } })).toEqual([first.id]);
      expect(await ids({ department: { names: ['市税务局'], docIds: ['003'] } })).toEqual([]);
      expect(await ids({ verdict: 'wrong' })).toEqual([first.id]);
      expect(await ids({ verdict: 'unreviewed' })).toEqual([otherDocument.id, refused.id]);
      expect(await ids({ refusedOnly: true })).toEqual([refused.id]);
      expect(await ids({ decision: 'refused' })).toEqual([refused.id]);
      expect(await ids({ decision: 'answered' })).toEqual([otherDocument.id, first.id]);
      expect(await store.getExchange(refused.id)).toMatchObject({ decision: 'refused', refused: true });
      expect(await ids({ text: '工会' })).toEqual([otherDocument.id]);
      // What the asker typed, not the answer: every refusal's wording would match otherwise.
      expect(await ids({ text: '60%' })).toEqual([]);
      expect(await ids({ text: '没有相关规定' })).toEqual([]);
      expect(await ids({ text: '天气' })).toEqual([refused.id]);
      expect(await ids({ upToId: refused.id })).toEqual([refused.id, first.id]);
      const page = await store.listExchanges({}, { limit: 2, offset: 2 });
      expect(page).toMatchObject({ total: 3 });
      expect(page.items.map((item) => item.id)).toEqual([first.id]);
      await store.close();
    });

    it('hands the log out in pages, newest first, every matching exchange once, whatever the page size', async () => {
      const store = await open();
      const recorded: number[] = [];
      // Two exchanges share each time, so continuing after the last row must look at the id too.
      for (let index = 0; index < 7; index += 1) {
        const at = new Date(time.getTime() + Math.floor(index / 2) * 1000);
        recorded.push((await store.recordExchange(exchange({ time: at, channel: index === 3 ? 'wecom' : 'telegram' }))).id);
      }
      const newestFirst = [...recorded].reverse();
      for (const size of [1, 2, 3, 7, 50]) {
        const pages: number[][] = [];
        for await (const page of store.exchangePages({}, size)) pages.push(page.map((item) => item.id));
        expect(pages.flat()).toEqual(newestFirst);
        expect(pages.every((page) => page.length <= size)).toBe(true);
      }
      const telegram: number[] = [];
      for await (const page of store.exchangePages({ channel: 'telegram' }, 2)) telegram.push(...page.map((item) => item.id));
      expect(telegram).toEqual(newestFirst.filter((id) => id !== recorded[3]));
      const none: number[][] = [];
      for await (const page of store.exchangePages({ text: '没有这句话' }, 2)) none.push(page.map((item) => item.id));
      expect(none).toEqual([]);
      await store.close();
    });

    it('lists hand-offs a page at a time and counts them without listing', async () => {
      const store = await open();
      const origin = await store.recordExchange(exchange());
      const opened: number[] = [];
      for (let index = 0; index < 5; index += 1) {
        opened.push(
          (await store.openOrJoinHandoff(ticket(origin.id, 'refused', { chatId: `chat-${index}`, time: new Date(time.getTime() + index * 60_000) }))).handoff
            .id,
        );
      }
      expect(await store.countHandoffs('李')).toEqual({ byStatus: { open: 5, answered: 0, closed: 0, dismissed: 0 }, mine: 0, oldestOpen: time });
      await store.assignHandoff(opened[1]!, '李', time);
      await store.assignHandoff(opened[3]!, '李', time);
      await store.resolveHandoff(opened[0]!, { status: 'closed', by: '王', time, note: '已电话答复' });
      await store.resolveHandoff(opened[4]!, { status: 'dismissed', by: '王', time, note: '测试' });
      expect(await store.countHandoffs('李')).toEqual({
        byStatus: { open: 3, answered: 0, closed: 1, dismissed: 1 },
        mine: 2,
        oldestOpen: new Date(time.getTime() + 60_000),
      });
      expect((await store.countHandoffs()).mine).toBe(0);
      const ids = async (query: Parameters<Store['listHandoffs']>[0]) => (await store.listHandoffs(query)).map((item) => item.id);
      expect(await ids({ statuses: ['open'], page: { limit: 2, offset: 0 } })).toEqual([opened[1], opened[2]]);
      expect(await ids({ statuses: ['open'], page: { limit: 2, offset: 2 } })).toEqual([opened[3]]);
      expect(await ids({ statuses: ['open'], assignedTo: '李' })).toEqual([opened[1], opened[3]]);
      expect(await ids({ statuses: ['closed', 'dismissed'], newestFirst: true })).toEqual([opened[4], opened[0]]);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids('open')).toEqual([opened[1], opened[2], opened[3]]);
      await store.close();
    });

    it('serves approved answers newest first until retired', async () => {
      const store = await open();
      const older = await store.saveReviewedAnswer({
        normalizedQuestion: 'q',
        question: 'q?',
        answer: 'a1',
        citations: [],
        approvedBy: '王',
        time,
        sourceExchangeId: null,
      });
      const newer = await store.saveReviewedAnswer({
        normalizedQuestion: 'q',
        question: 'q?',
        answer: 'a2',
        citations: [sampleCitation()],
        approvedBy: '王',
        time: new Date(time.getTime() + 1000),
        sourceExchangeId: null,
      });
      expect((await store.listReviewedAnswers()).map((answer) => answer.answer)).toEqual(['a2', 'a1']);
      await store.retireReviewedAnswer(newer.id, '李', time);
      expect((await store.listReviewedAnswers()).map((answer) => answer.id)).toEqual([older.id]);
      expect((await store.getReviewedAnswer(newer.id))?.retired).toMatchObject({ by: '李' });
      await store.close();
    });

    it('keeps hand-offs open until answered', async () => {
      const store = await open();
      const origin = await store.recordExchange(exchange({ question: '转人工', mode: 'handoff' }));
      const { handoff, joined } = await store.openOrJoinHandoff(ticket(origin.id, 'requested'));
      expect(joined).toBe(false);
      expect((await store.listHandoffs('open')).map((item) => item.id)).toEqual([handoff.id]);
      expect(handoff).toMatchObject({
        reason: 'requested',
        requestedAt: time,
        asks: 1,
        assigned: null,
        resolution: null,
        channel: 'telegram',
        chatId: 'chat-1',
      });
      const reply = await store.recordExchange(exchange({ answeredBy: '王', mode: 'handoff' }));
      await store.answerHandoff(handoff.id, { text: '按60%返还', repliedBy: '王', time, replyExchangeId: reply.id });
      expect(await store.listHandoffs('open')).toEqual([]);
      expect(await store.getHandoff(handoff.id)).toMatchObject({ status: 'answered', reply: { repliedBy: '王', replyExchangeId: reply.id } });
      await store.close();
    });

    it('keeps one open ticket per chat and question: a later 转人工 joins it, another chat or question opens its own', async () => {
      const store = await open();
      const refusal = await store.recordExchange(exchange({ decision: 'refused', citations: [] }));
      const uncertain = await store.recordExchange(exchange({ decision: 'uncertain', question: '首贷贴息?', normalizedQuestion: '首贷贴息' }));
      const first = await store.openOrJoinHandoff(ticket(refusal.id, 'refused', { citations: [] }));
      const later = new Date(time.getTime() + 60_000);
      const request = await store.recordExchange(exchange({ question: '转人工', normalizedQuestion: '转人工', mode: 'handoff', time: later }));
      const joined = await store.openOrJoinHandoff(ticket(request.id, 'requested', { time: later }));
      expect(joined.joined).toBe(true);
      expect(joined.handoff).toMatchObject({
        id: first.handoff.id,
        reason: 'refused',
        requestedAt: later,
        asks: 2,
        lastExchangeId: request.id,
        exchangeId: refusal.id,
        citations: [expect.objectContaining({ clause_id: '000:一(二)' })],
      });
      const otherQuestion = await store.openOrJoinHandoff(ticket(uncertain.id, 'uncertain', { question: '首贷贴息?', normalizedQuestion: '首贷贴息' }));
      const otherChat = await store.openOrJoinHandoff(ticket(request.id, 'requested', { chatId: 'chat-2' }));
      expect([otherQuestion.joined, otherChat.joined]).toEqual([false, false]);
      expect(await store.listHandoffs('open')).toHaveLength(3);

      expect(await store.assignHandoff(first.handoff.id, '李', later)).toMatchObject({ assigned: { officer: '李', time: later } });
      const dismissed = await store.resolveHandoff(otherChat.handoff.id, { status: 'dismissed', by: '李', time: later, note: '测试消息' });
      expect(dismissed).toMatchObject({ status: 'dismissed', resolution: { by: '李', note: '测试消息', time: later } });
      // A closed ticket is not joined: the same question asked again is a new ticket.
      const again = await store.openOrJoinHandoff(ticket(request.id, 'requested', { chatId: 'chat-2' }));
      expect(again.joined).toBe(false);
      expect(await store.resolveHandoff(otherChat.handoff.id, { status: 'closed', by: '王', time: later, note: '再关' })).toMatchObject({
        status: 'dismissed',
        resolution: { by: '李' },
      });
      expect(await store.getHandoff(9999)).toBeUndefined();
      await store.close();
    });

    it('counts tickets by status and reason with how long the resolved ones waited', async () => {
      const store = await open();
      const origin = await store.recordExchange(exchange());
      const minute = 60_000;
      const opened = async (chatId: string, reason: HandoffInput['reason'], minutesAfter: number) =>
        (await store.openOrJoinHandoff(ticket(origin.id, reason, { chatId, time: new Date(time.getTime() + minutesAfter * minute) }))).handoff;
      const a = await opened('a', 'refused', 0);
      const b = await opened('b', 'requested', 0);
      const c = await opened('c', 'uncertain', 0);
      await opened('d', 'uncertain', 5);
      await store.answerHandoff(a.id, { text: '答', repliedBy: '王', time: new Date(time.getTime() + 30 * minute), replyExchangeId: origin.id });
      await store.resolveHandoff(b.id, { status: 'closed', by: '王', time: new Date(time.getTime() + 10 * minute), note: '已电话答复' });
      await store.resolveHandoff(c.id, { status: 'dismissed', by: '王', time: new Date(time.getTime() + 20 * minute), note: '非政策问题' });
      const { handoffs } = await store.overview({}, 480);
      expect(handoffs.byStatus).toEqual({ open: 1, answered: 1, closed: 1, dismissed: 1 });
      expect(handoffs.byReason).toEqual({ requested: 1, uncertain: 2, refused: 1 });
      expect(handoffs.resolvedWaitsMs).toEqual([10 * minute, 20 * minute, 30 * minute]);
      expect(handoffs.openSince).toEqual([new Date(time.getTime() + 5 * minute)]);
      const none = await store.overview({ from: new Date(time.getTime() + 60 * minute) }, 480);
      expect(none.handoffs.byStatus).toEqual({ open: 0, answered: 0, closed: 0, dismissed: 0 });
      await store.close();
    });

    it('edits, retires and restores approved answers, counting how often each was served', async () => {
      const store = await open();
      const saved = await store.saveReviewedAnswer({
        normalizedQuestion: '工会经费能返还',
        question: '工会经费能返还吗?',
        answer: '全额返还。',
        citations: [],
        approvedBy: '王',
        time,
        sourceExchangeId: null,
      });
      expect(saved).toMatchObject({ served: 0, lastServed: null, minSimilarity: null, edited: null });
      const later = new Date(time.getTime() + 1000);
      await store.recordExchange(exchange({ mode: 'reviewed', reviewedAnswerId: saved.id }));
      await store.recordExchange(exchange({ mode: 'reviewed', reviewedAnswerId: saved.id, time: later }));
      expect(await store.getReviewedAnswer(saved.id)).toMatchObject({ served: 2, lastServed: later });
      const edited = await store.updateReviewedAnswer(saved.id, { answer: '小微企业全额返还。', minSimilarity: 0.9, editedBy: '李', time: later });
      expect(edited).toMatchObject({ answer: '小微企业全额返还。', minSimilarity: 0.9, edited: { by: '李', time: later }, approvedBy: '王' });
      expect((await store.updateReviewedAnswer(saved.id, { minSimilarity: null, editedBy: '李', time: later }))?.minSimilarity).toBeNull();
      expect((await store.listReviewedAnswers({ text: '小微' })).map((answer) => answer.id)).toEqual([saved.id]);
      expect(await store.listReviewedAnswers({ text: '稳岗' })).toEqual([]);
      await store.retireReviewedAnswer(saved.id, '李', later);
      expect(await store.listReviewedAnswers()).toEqual([]);
      expect((await store.listReviewedAnswers({ includeRetired: true })).map((answer) => answer.retired?.by)).toEqual(['李']);
      expect((await store.listReviewedAnswers({ retiredOnly: true })).map((answer) => answer.id)).toEqual([saved.id]);
      await store.restoreReviewedAnswer(saved.id);
      expect((await store.listReviewedAnswers()).map((answer) => answer.id)).toEqual([saved.id]);
      expect(await store.updateReviewedAnswer(9999, { answer: 'x', editedBy: '李', time })).toBeUndefined();
      // The console reads them a page at a time, newest first.
      for (let index = 1; index <= 4; index += 1) {
        await store.saveReviewedAnswer({
          normalizedQuestion: `问题${index}`,
          question: `问题${index}?`,
          answer: `答复${index}`,
          citations: [],
          approvedBy: '王',
          time: new Date(later.getTime() + index * 1000),
          sourceExchangeId: null,
        });
      }
      const pageOf = async (offset: number) => (await store.listReviewedAnswers({ page: { limit: 2, offset } })).map((answer) => answer.answer);
      expect([await pageOf(0), await pageOf(2), await pageOf(4)]).toEqual([['答复4', '答复3'], ['答复2', '答复1'], ['小微企业全额返还。']]);
      await store.close();
    });

    it('keeps officers with roles, disables them and signs them out, and keeps an audit trail newest first', async () => {
      const store = await open();
      await store.saveOfficer({ name: '王', passwordHash: 'h1', created: time, role: 'admin' });
      await store.saveOfficer({ name: '李', passwordHash: 'h2', created: new Date(time.getTime() + 1), role: 'officer' });
      expect((await store.listOfficers()).map((officer) => [officer.name, officer.role, officer.disabled])).toEqual([
        ['王', 'admin', null],
        ['李', 'officer', null],
      ]);
      // Resetting a password through saveOfficer keeps the role.
      await store.saveOfficer({ name: '李', passwordHash: 'h3', created: time, role: 'admin' });
      expect(await store.findOfficer('李')).toMatchObject({ role: 'officer', passwordHash: 'h3' });
      await store.createSession({ tokenHash: 's1', officer: '李', created: time, expires: new Date(time.getTime() + 1000) });
      await store.createSession({ tokenHash: 's2', officer: '王', created: time, expires: new Date(time.getTime() + 1000) });
      expect(await store.updateOfficer('李', { disabled: { by: '王', time }, role: 'admin' })).toMatchObject({ role: 'admin', disabled: { by: '王', time } });
      await store.deleteSessionsOf('李');
      expect(await store.findSession('s1')).toBeUndefined();
      expect(await store.findSession('s2')).toBeDefined();
      expect(await store.updateOfficer('李', { disabled: null, passwordHash: 'h4' })).toMatchObject({ disabled: null, passwordHash: 'h4' });
      expect(await store.updateOfficer('无此人', { role: 'admin' })).toBeUndefined();

      await store.recordAudit({ time, officer: '王', action: 'officer.add', target: '李', details: { role: 'officer' } });
      await store.recordAudit({ time: new Date(time.getTime() + 1), officer: '王', action: 'officer.disable', target: '李', details: {} });
      const audit = await store.listAudit({ limit: 1, offset: 0 });
      expect(audit.total).toBe(2);
      expect(audit.items).toMatchObject([{ action: 'officer.disable', officer: '王', target: '李' }]);
      expect((await store.listAudit({ limit: 5, offset: 1 })).items).toMatchObject([{ action: 'officer.add', details: { role: 'officer' } }]);
      await store.close();
    });

    it("keeps the asker's 👍 / 👎 and 转人工 presses with the exchange; the latest rating counts; 👎 first in the review queue", async () => {
      const store = await open();
      const rated = await store.recordExchange(exchange({ time: new Date('2025-03-01T01:00:00Z'), replyRef: 'ref-1' }));
      const newer = await store.recordExchange(exchange({ time: new Date('2025-03-02T01:00:00Z'), replyRef: 'ref-2' }));
      const plain = await store.recordExchange(exchange({ time: new Date('2025-03-03T01:00:00Z') }));
      expect(rated).toMatchObject({ replyRef: 'ref-1', feedback: { rating: null, ratedAt: null, handoffRequested: false } });
      expect((await store.findExchangeByReplyRef('telegram', 'ref-2'))?.id).toBe(newer.id);
      expect(await store.findExchangeByReplyRef('wecom', 'ref-2')).toBeUndefined();
      expect(await store.findExchangeByReplyRef('telegram', 'ref-unknown')).toBeUndefined();

      const at = (minutes: number) => new Date(time.getTime() + minutes * 60_000);
      await store.recordFeedback({ exchangeId: rated.id, kind: 'helpful', userId: 'user-1', comment: '', reasons: [], time: at(1) });
      await store.recordFeedback({ exchangeId: rated.id, kind: 'unhelpful', userId: 'user-1', comment: '没说申请材料', reasons: [2, 4], time: at(2) });
      await store.recordFeedback({ exchangeId: rated.id, kind: 'handoff', userId: 'user-1', comment: '', reasons: [], time: at(3) });
      expect((await store.getExchange(rated.id))?.feedback).toEqual({ rating: 'unhelpful', ratedAt: at(2), handoffRequested: true });
      expect((await store.feedbackOf(rated.id)).map((item) => item.kind)).toEqual(['handoff', 'unhelpful', 'helpful']);
      expect((await store.feedbackOf(rated.id))[1]).toMatchObject({ comment: '没说申请材料', reasons: [2, 4], userId: 'user-1' });

      await store.recordFeedback({ exchangeId: newer.id, kind: 'unhelpful', userId: 'user-1', comment: '', reasons: [], time: at(4) });
      await store.recordFeedback({ exchangeId: newer.id, kind: 'cancelled', userId: 'user-1', comment: '', reasons: [], time: at(5) });
      expect((await store.getExchange(newer.id))?.feedback).toEqual({ rating: null, ratedAt: null, handoffRequested: false });

      const ids = async (filter: Parameters<Store['listExchanges']>[0]): Promise<number[]> => (await store.listExchanges(filter)).items.map((item) => item.id);
      expect(await ids({})).toEqual([plain.id, newer.id, rated.id]);
      expect(await ids({ unhelpfulFirst: true })).toEqual([rated.id, plain.id, newer.id]);
      expect(await ids({ rating: 'unhelpful' })).toEqual([rated.id]);
      expect(await ids({ rating: 'helpful' })).toEqual([]);
      expect((await store.listExchanges({ unhelpfulFirst: true }, { limit: 1, offset: 0 })).items[0]?.feedback.rating).toBe('unhelpful');
      await store.close();
    });

    it('expires sessions and counts failed sign-ins per name and address (reset by a success) and per name', async () => {
      const store = await open();
      expect(await store.hasOfficers()).toBe(false);
      await store.saveOfficer({ name: '王', passwordHash: 'h1', created: time, role: 'officer' });
      expect(await store.hasOfficers()).toBe(true);
      expect(await store.saveOfficer({ name: '王', passwordHash: 'h2', created: time, role: 'officer' })).toBe('updated');
      expect((await store.findOfficer('王'))?.passwordHash).toBe('h2');
      await store.createSession({ tokenHash: 't', officer: '王', created: time, expires: new Date(time.getTime() + 1000) });
      expect((await store.findSession('t'))?.officer).toBe('王');
      await store.deleteExpiredSessions(new Date(time.getTime() + 1000));
      expect(await store.findSession('t')).toBeUndefined();
      // Attempts in one millisecond still count in the order made.
      for (const succeeded of [false, false, true, false]) await store.recordSignInAttempt({ name: '王', address: '127.0.0.1', time, succeeded });
      await store.recordSignInAttempt({ name: '王', address: '10.0.0.9', time, succeeded: false });
      await store.recordSignInAttempt({ name: '李', address: '127.0.0.1', time, succeeded: false });
      // The success from 127.0.0.1 starts its count again; 10.0.0.9's failure is its own.
      expect(await store.countFailedSignInAttempts('王', '127.0.0.1', time)).toBe(1);
      expect(await store.countFailedSignInAttempts('王', '10.0.0.9', time)).toBe(1);
      expect(await store.countFailedSignInAttempts('王', '127.0.0.1', new Date(time.getTime() + 1))).toBe(0);
      // For the account, every failure from every address in the window, the success notwithstanding.
      expect(await store.countFailedSignInAttemptsForName('王', time)).toBe(4);
      expect(await store.countFailedSignInAttemptsForName('王', new Date(time.getTime() + 1))).toBe(0);
      await store.close();
    });

    it('counts questions per local day and verdicts per document and lead department', async () => {
      const store = await open();
      // 23:30 UTC is the next morning in China (UTC+8).
      const late = await store.recordExchange(exchange({ time: new Date('2025-03-01T23:30:00Z') }));
      await store.recordExchange(exchange({ time: new Date('2025-03-01T23:40:00Z'), decision: 'refused', channel: 'wecom' }));
      await store.recordExchange(exchange({ time: new Date('2025-03-01T23:45:00Z'), decision: 'uncertain', channel: 'wecom' }));
      await store.recordExchange(
        exchange({ time: new Date('2025-03-01T23:46:00Z'), decision: 'uncertain', channel: 'wecom', mode: 'handoff', question: '转人工' }),
      );
      await store.recordExchange(exchange({ time: new Date('2025-03-01T23:50:00Z'), answeredBy: '王', mode: 'handoff' }));
      await store.addReview({ exchangeId: late.id, verdict: 'wrong', note: '', correctedAnswer: null, reviewer: '王', time });
      const counts = await store.overview({}, 480);
      expect(counts.perDay).toEqual([
        { day: '2025-03-02', channel: 'telegram', questions: 1, refused: 0, uncertain: 0 },
        { day: '2025-03-02', channel: 'wecom', questions: 2, refused: 1, uncertain: 1 },
      ]);
      expect(counts.totals).toEqual({ questions: 3, refused: 1, uncertain: 1 });
      expect(counts.verdictsByDocument).toEqual([{ docId: '000', docTitle: sampleCitation().doc_title, verdict: 'wrong', exchanges: 1 }]);
      expect(counts.verdictsByDepartment).toEqual([{ department: '市人力资源社会保障局', docId: '000', verdict: 'wrong', exchanges: 1 }]);
      await store.close();
    });
    it('lets exactly one of many racing callers claim a key, and again once it expires or is released', async () => {
      const store = await open();
      const results = await Promise.all(Array.from({ length: 8 }, () => store.claim('wecom:MSG-1', time, new Date(time.getTime() + 1000))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claim('wecom:MSG-2', time, new Date(time.getTime() + 1000))).toBe(true);
      expect(await store.claim('wecom:MSG-1', new Date(time.getTime() + 999), new Date(time.getTime() + 2000))).toBe(false);
      expect(await store.claim('wecom:MSG-1', new Date(time.getTime() + 1000), new Date(time.getTime() + 2000))).toBe(true);
      await store.releaseClaim('wecom:MSG-2');
      expect(await store.claim('wecom:MSG-2', time, new Date(time.getTime() + 1000))).toBe(true);
      await store.close();
    });

    it('counts events in a sliding window per key, refusing past the limit', async () => {
      const store = await open();
      const at = (seconds: number) => new Date(time.getTime() + seconds * 1000);
      for (const second of [0, 10, 20]) {
        expect(await store.countInWindow('telegram:1', at(second), 60_000, 3)).toEqual({ counted: true, oldest: at(0) });
      }
      expect(await store.countInWindow('telegram:1', at(30), 60_000, 3)).toEqual({ counted: false, oldest: at(0) });
      expect((await store.countInWindow('telegram:2', at(30), 60_000, 3)).counted).toBe(true);
      expect(await store.countInWindow('telegram:1', at(60), 60_000, 3)).toEqual({ counted: true, oldest: at(10) });
      const racing = await Promise.all(Array.from({ length: 6 }, () => store.countInWindow('wecom:9', at(0), 60_000, 2)));
      expect(racing.filter((result) => result.counted)).toHaveLength(2);
      await store.close();
    });

    it('keeps the last turns of each chat, oldest first, as the JSON given', async () => {
      const store = await open();
      const turn = (index: number) => ({ question: `问题${index}`, citations: index === 3 ? [sampleCitation()] : [] });
      for (const index of [1, 2, 3]) await store.appendChatTurn('telegram:42', turn(index), 2, new Date(time.getTime() + index));
      await store.appendChatTurn('wecom:42', turn(9), 2, time);
      expect(await store.recentChatTurns('telegram:42', 6, time)).toEqual([turn(2), turn(3)]);
      expect(await store.recentChatTurns('telegram:42', 1, time)).toEqual([turn(3)]);
      expect(await store.recentChatTurns('telegram:42', 6, new Date(time.getTime() + 3))).toEqual([turn(3)]);
      expect(await store.recentChatTurns('telegram:7', 6, time)).toEqual([]);
      await store.deleteExpiredState(time, new Date(time.getTime() + 3));
      expect(await store.recentChatTurns('telegram:42', 6, new Date(0))).toEqual([turn(3)]);
      expect(await store.recentChatTurns('wecom:42', 6, new Date(0))).toEqual([]);
      await store.close();
    });

    it('gives a lease to one holder at a time until it is released or runs out', async () => {
      const store = await open();
      expect(await store.acquireLease('telegram-poll', 'worker-a', 60_000)).toBe(true);
      expect(await store.acquireLease('telegram-poll', 'worker-b', 60_000)).toBe(false);
      expect(await store.acquireLease('telegram-poll', 'worker-a', 60_000)).toBe(true);
      expect(await store.leaseHolder('telegram-poll')).toBe('worker-a');
      expect(await store.acquireLease('wecom-socket', 'worker-b', 60_000)).toBe(true);
      await store.releaseLease('telegram-poll', 'worker-b');
      expect(await store.leaseHolder('telegram-poll')).toBe('worker-a');
      await store.releaseLease('telegram-poll', 'worker-a');
      expect(await store.leaseHolder('telegram-poll')).toBeUndefined();
      expect(await store.acquireLease('telegram-poll', 'worker-b', 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.leaseHolder('telegram-poll')).toBeUndefined();
      expect(await store.acquireLease('telegram-poll', 'worker-a', 60_000)).toBe(true);
      await store.close();
    });

    it.runIf(openPair)('remembers a WeCom MsgId answered by one worker on another and after the first stops (replay after a restart)', async () => {
      const [first, second] = await openPair!();
      const hour = 60 * 60_000;
      const seenFirst = storeChannelState(first).seenMessages('wecom-callback', hour);
      const seenSecond = storeChannelState(second).seenMessages('wecom-callback', hour);
      expect(await seenFirst.firstSeen('7700000000000000042')).toBe(true);
      expect(await seenSecond.firstSeen('7700000000000000042')).toBe(false);
      await first.close();
      // The same database reopened, as a restarted process does.
      expect(await seenSecond.firstSeen('7700000000000000042')).toBe(false);
      expect(await storeChannelState(second).seenMessages('wecom-bot', hour).firstSeen('7700000000000000042')).toBe(true);
      expect(await seenSecond.firstSeen('7700000000000000043')).toBe(true);
      await second.close();
    });

    it.runIf(openPair)('shares claims, windows, chat turns and leases between two workers on one database', async () => {
      const [first, second] = await openPair!();
      const expires = new Date(time.getTime() + 60_000);
      const claims = await Promise.all([first.claim('wecom:MSG-7', time, expires), second.claim('wecom:MSG-7', time, expires)]);
      expect(claims.sort()).toEqual([false, true]);
      await first.countInWindow('wecom:u', time, 60_000, 1);
      expect((await second.countInWindow('wecom:u', time, 60_000, 1)).counted).toBe(false);
      await first.appendChatTurn('wecom:u', { question: '稳岗返还比例是多少?', citations: [sampleCitation()] }, 6, time);
      expect(await second.recentChatTurns('wecom:u', 6, new Date(0))).toMatchObject([{ citations: [{ clause_label: '(二)' }] }]);
      expect(await first.acquireLease('telegram-poll', 'a', 60_000)).toBe(true);
      expect(await second.acquireLease('telegram-poll', 'b', 60_000)).toBe(false);
      await first.releaseLease('telegram-poll', 'a');
      expect(await second.acquireLease('telegram-poll', 'b', 60_000)).toBe(true);
      await first.close();
      await second.close();
    });

    const owed = (overrides: Partial<OutboxInput> = {}): OutboxInput => ({
      channel: 'wecom',
      chatId: 'lisi',
      userId: 'lisi',
      messageId: 'MSG-1',
      question: '稳岗返还比例是多少?',
      messages: null,
      exchangeId: null,
      route: 'send',
      time,
      dueAt: time,
      ...overrides,
    });
    const later = (milliseconds: number) => new Date(time.getTime() + milliseconds);

    it('keeps an answer owed to a chat until it is delivered, once per platform message, resuming after the parts sent', async () => {
      const store = await open();
      const { entry, created } = await store.enqueueOutbox(owed({ dueAt: later(60_000) }));
      expect(created).toBe(true);
      expect(entry).toMatchObject({ status: 'pending', messages: null, attempts: 0, sentParts: 0 });
      // WeCom's retry of the same MsgId: the same entry, not a second one.
      const retry = await store.enqueueOutbox(owed({ question: '重试' }));
      expect(retry).toMatchObject({ created: false, entry: { id: entry.id, question: '稳岗返还比例是多少?' } });
      // Not due yet (its answer is still being written by the worker that took the message).
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'a', now: time, claimedUntil: later(30_000), limit: 10 })).toEqual([]);

      const exchange = await store.recordExchange(exchangeInput({ channel: 'wecom', chatId: 'lisi', messageId: 'MSG-1' }));
      expect((await store.getExchange(exchange.id))?.delivery).toBeNull();
      await store.fillOutbox(entry.id, { messages: ['第一条', '第二条'], exchangeId: exchange.id }, time);
      const [claimed] = await store.claimOutbox({ channel: 'wecom', holder: 'a', now: time, claimedUntil: later(30_000), limit: 10 });
      expect(claimed).toMatchObject({ id: entry.id, messages: ['第一条', '第二条'], exchangeId: exchange.id, claimedBy: 'a' });
      expect((await store.getExchange(exchange.id))?.delivery).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await store.listExchanges({ delivery: 'undelivered' })).items.map((item) => item.id)).toEqual([exchange.id]);
      // Claimed: nobody else takes it while the claim runs.
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'b', now: later(1_000), claimedUntil: later(31_000), limit: 10 })).toEqual([]);

      expect(await store.recordOutboxProgress(entry.id, 'a', 1, later(40_000))).toBe(true);
      expect(await store.recordOutboxProgress(entry.id, 'b', 2, later(40_000))).toBe(false);
      expect(
        await store.settleOutbox(
          entry.id,
          'a',
          { status: 'pending', error: 'WeCom API answered HTTP 500', dueAt: later(2_000), attempted: true },
          later(1_000),
        ),
      ).toBe(true);
      const [again] = await store.claimOutbox({ channel: 'wecom', holder: 'b', now: later(2_000), claimedUntil: later(32_000), limit: 10 });
      expect(again).toMatchObject({ id: entry.id, attempts: 1, sentParts: 1, lastError: 'WeCom API answered HTTP 500', claimedBy: 'b' });
      // The first holder lost it: what it says now changes nothing.
      expect(await store.settleOutbox(entry.id, 'a', { status: 'failed', error: 'late' }, later(3_000))).toBe(false);
      expect(await store.settleOutbox(entry.id, 'b', { status: 'delivered' }, later(3_000))).toBe(true);
      expect(await store.getOutbox(entry.id)).toMatchObject({ status: 'delivered', settledAt: later(3_000), attempts: 1 });
      expect((await store.getExchange(exchange.id))?.delivery).toMatchObject({ status: 'delivered', settledAt: later(3_000) });
      expect((await store.listExchanges({ delivery: 'undelivered' })).total).toBe(0);
      expect((await store.listExchanges({ delivery: 'delivered' })).items.map((item) => item.id)).toEqual([exchange.id]);
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'b', now: later(99_000), claimedUntil: later(99_999), limit: 10 })).toEqual([]);
      await store.close();
    });

    it('discards an entry whose answer went in the passive reply, but not one a worker has claimed to answer', async () => {
      const store = await open();
      const passive = (await store.enqueueOutbox(owed({ messageId: 'MSG-D1' }))).entry;
      expect(await store.discardOutbox(passive.id)).toBe(true);
      expect(await store.getOutbox(passive.id)).toBeUndefined();
      expect(await store.outboxCounts()).toMatchObject({ pending: 0, delivered: 0 });
      // Taken for orphaned by another worker (its answer is being written there): it stays, to be sent by that worker.
      const orphan = (await store.enqueueOutbox(owed({ messageId: 'MSG-D2' }))).entry;
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'b', now: time, claimedUntil: later(30_000), limit: 10 })).toMatchObject([{ id: orphan.id }]);
      expect(await store.discardOutbox(orphan.id)).toBe(false);
      expect(await store.getOutbox(orphan.id)).toMatchObject({ status: 'pending', claimedBy: 'b' });
      await store.close();
    });

    it('marks an entry failed for the console, lets an expired claim be taken over, and counts the backlog', async () => {
      const store = await open();
      const exchange = await store.recordExchange(exchangeInput({ channel: 'wecom', chatId: 'wangwu', messageId: 'MSG-2' }));
      const failing = (await store.enqueueOutbox(owed({ chatId: 'wangwu', messageId: 'MSG-2', messages: ['答复'], exchangeId: exchange.id }))).entry;
      const stranded = (await store.enqueueOutbox(owed({ chatId: 'zhaoliu', messageId: 'MSG-3', messages: ['答复'] }))).entry;
      await store.enqueueOutbox(owed({ channel: 'telegram', chatId: '42', messageId: 'MSG-4', messages: ['答复'] }));
      const claimed = await store.claimOutbox({ channel: 'wecom', holder: 'dead-worker', now: time, claimedUntil: later(30_000), limit: 1 });
      expect(claimed.map((entry) => entry.id)).toEqual([failing.id]);
      expect(await store.settleOutbox(failing.id, 'dead-worker', { status: 'failed', error: 'errcode 60111' }, later(1))).toBe(true);
      expect((await store.getExchange(exchange.id))?.delivery).toMatchObject({ status: 'failed', lastError: 'errcode 60111', attempts: 1 });
      expect((await store.listExchanges({ delivery: 'failed' })).items.map((item) => item.id)).toEqual([exchange.id]);
      expect((await store.listExchanges({ delivery: 'undelivered' })).items.map((item) => item.id)).toEqual([exchange.id]);
      // A worker that claimed and died: once its claim runs out another worker takes the entry.
      await store.claimOutbox({ channel: 'wecom', holder: 'dead-worker', now: time, claimedUntil: later(30_000), limit: 5 });
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'survivor', now: later(29_999), claimedUntil: later(60_000), limit: 5 })).toEqual([]);
      expect(
        (await store.claimOutbox({ channel: 'wecom', holder: 'survivor', now: later(30_000), claimedUntil: later(60_000), limit: 5 })).map((entry) => entry.id),
      ).toEqual([stranded.id]);
      expect(await store.outboxCounts()).toEqual({ pending: 2, failed: 1, delivered: 0, oldestPending: time });
      await store.close();
    });

    it("hands passive answers out once, with the asker's next message", async () => {
      const store = await open();
      const first = (await store.enqueueOutbox(owed({ route: 'passive', messageId: 'MSG-5' }))).entry;
      await store.enqueueOutbox(owed({ route: 'passive', messageId: 'MSG-6' }));
      await store.enqueueOutbox(owed({ route: 'passive', chatId: 'other', messageId: 'MSG-7', messages: ['别人的'] }));
      expect(await store.takePassiveOutbox('wecom', 'lisi', time)).toEqual({ ready: [], waiting: 2 });
      // Passive entries are never claimed for the send API.
      expect(await store.claimOutbox({ channel: 'wecom', holder: 'a', now: later(60_000), claimedUntil: later(90_000), limit: 10 })).toEqual([]);
      await store.fillOutbox(first.id, { messages: ['答复'], exchangeId: null }, time);
      const taken = await store.takePassiveOutbox('wecom', 'lisi', later(5_000));
      expect(taken.ready.map((entry) => [entry.id, entry.messages, entry.status])).toEqual([[first.id, ['答复'], 'delivered']]);
      expect(taken.waiting).toBe(1);
      expect((await store.takePassiveOutbox('wecom', 'lisi', later(6_000))).ready).toEqual([]);
      await store.close();
    });

    it.runIf(openPair)('never gives one outbox entry to two workers claiming at the same time', async () => {
      const [first, second] = await openPair!();
      for (let index = 0; index < 60; index += 1) await first.enqueueOutbox(owed({ messageId: `RACE-${index}`, messages: ['答复'] }));
      const taken: number[][] = [[], []];
      const workers = [first, second].map(async (store, worker) => {
        for (let round = 0; round < 20; round += 1) {
          const claimed = await store.claimOutbox({ channel: 'wecom', holder: `w${worker}`, now: time, claimedUntil: later(60_000), limit: 4 });
          taken[worker]!.push(...claimed.map((entry) => entry.id));
        }
      });
      await Promise.all(workers);
      const all = [...taken[0]!, ...taken[1]!];
      expect(all).toHaveLength(60);
      expect(new Set(all).size).toBe(60);
      await first.close();
      await second.close();
    });
  });
}
