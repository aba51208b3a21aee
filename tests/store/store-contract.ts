import { describe, expect, it } from 'vitest';
import type { ExchangeInput, Store } from '../../bot/store.ts';
import { sampleCitation } from '../helpers.ts';

/** Behaviour every Store must have; run once per implementation. */
export function storeContract(name: string, open: () => Store): void {
  const time = new Date('2025-03-03T02:00:00Z');
  const exchange = (overrides: Partial<ExchangeInput> = {}): ExchangeInput => ({
    time, channel: 'telegram', chatId: 'chat-1', userId: 'user-1', messageId: '41', question: '稳岗返还比例是多少?',
    normalizedQuestion: '稳岗返还比例是多少', answer: '中小微企业按60%返还。', citations: [sampleCitation()], refused: false,
    mode: 'extractive', latencyMs: 12, answeredBy: null, reviewedAnswerId: null, ...overrides,
  });

  describe(`Store contract: ${name}`, () => {
    it('keeps an exchange with its citations and shows the latest verdict', () => {
      const store = open();
      const saved = store.recordExchange(exchange());
      expect(store.getExchange(saved.id)).toMatchObject({ question: '稳岗返还比例是多少?', latestReview: null, messageId: '41' });
      expect(store.getExchange(saved.id)?.citations[0]?.lead_departments).toEqual(['市人力资源社会保障局']);
      store.addReview({ exchangeId: saved.id, verdict: 'incomplete', note: '缺裁员率', correctedAnswer: null, reviewer: '王', time });
      store.addReview({ exchangeId: saved.id, verdict: 'correct', note: '', correctedAnswer: null, reviewer: '李', time });
      expect(store.getExchange(saved.id)?.latestReview).toMatchObject({ verdict: 'correct', reviewer: '李' });
      expect(store.reviewsOf(saved.id).map((review) => review.verdict)).toEqual(['correct', 'incomplete']);
      store.close();
    });

    it('filters the log by channel, dates, document, department, verdict, refusal and text, newest first', () => {
      const store = open();
      const first = store.recordExchange(exchange({ time: new Date('2025-03-01T01:00:00Z') }));
      const refused = store.recordExchange(exchange({
        time: new Date('2025-03-02T01:00:00Z'), channel: 'wecom', question: '明天天气如何', answer: '现有政策文件中没有相关规定。', refused: true, citations: [],
      }));
      const otherDocument = store.recordExchange(exchange({
        time: new Date('2025-03-03T01:00:00Z'), question: '工会经费能返还吗',
        citations: [sampleCitation({ doc_id: '001', lead_departments: ['市总工会'], support_departments: [] })],
      }));
      store.addReview({ exchangeId: first.id, verdict: 'wrong', note: '', correctedAnswer: null, reviewer: '王', time });
      const ids = (filter: Parameters<Store['listExchanges']>[0]): number[] => store.listExchanges(filter).items.map((item) => item.id);
      expect(ids({})).toEqual([otherDocument.id, refused.id, first.id]);
      expect(ids({ channel: 'wecom' })).toEqual([refused.id]);
      expect(ids({ from: new Date('2025-03-02T00:00:00Z'), to: new Date('2025-03-03T00:00:00Z') })).toEqual([refused.id]);
      expect(ids({ docId: '001' })).toEqual([otherDocument.id]);
      expect(ids({ department: '市税务局' })).toEqual([first.id]);
      expect(ids({ department: '市总工会' })).toEqual([otherDocument.id]);
      expect(ids({ verdict: 'wrong' })).toEqual([first.id]);
      expect(ids({ verdict: 'unreviewed' })).toEqual([otherDocument.id, refused.id]);
      expect(ids({ refusedOnly: true })).toEqual([refused.id]);
      expect(ids({ text: '工会' })).toEqual([otherDocument.id]);
      expect(ids({ text: '60%' })).toEqual([otherDocument.id, first.id]);
      expect(ids({ upToId: refused.id })).toEqual([refused.id, first.id]);
      const page = store.listExchanges({}, { limit: 2, offset: 2 });
      expect(page).toMatchObject({ total: 3 });
      expect(page.items.map((item) => item.id)).toEqual([first.id]);
      store.close();
    });

    it('serves approved answers newest first until retired', () => {
      const store = open();
      const older = store.saveReviewedAnswer({
        normalizedQuestion: 'q', question: 'q?', answer: 'a1', citations: [], approvedBy: '王', time, sourceExchangeId: null,
      });
      const newer = store.saveReviewedAnswer({
        normalizedQuestion: 'q', question: 'q?', answer: 'a2', citations: [sampleCitation()], approvedBy: '王',
        time: new Date(time.getTime() + 1000), sourceExchangeId: null,
      });
      expect(store.listReviewedAnswers().map((answer) => answer.answer)).toEqual(['a2', 'a1']);
      store.retireReviewedAnswer(newer.id, '李', time);
      expect(store.listReviewedAnswers().map((answer) => answer.id)).toEqual([older.id]);
      expect(store.getReviewedAnswer(newer.id)?.retired).toMatchObject({ by: '李' });
      store.close();
    });

    it('keeps hand-offs open until answered', () => {
      const store = open();
      const origin = store.recordExchange(exchange({ question: '转人工', mode: 'handoff' }));
      const handoff = store.openHandoff({ exchangeId: origin.id, question: '稳岗返还比例是多少?', time });
      expect(store.listHandoffs('open').map((item) => item.id)).toEqual([handoff.id]);
      const reply = store.recordExchange(exchange({ answeredBy: '王', mode: 'handoff' }));
      store.answerHandoff(handoff.id, { text: '按60%返还', repliedBy: '王', time, replyExchangeId: reply.id });
      expect(store.listHandoffs('open')).toEqual([]);
      expect(store.getHandoff(handoff.id)).toMatchObject({ status: 'answered', reply: { repliedBy: '王', replyExchangeId: reply.id } });
      store.close();
    });

    it('expires sessions and counts failed sign-ins per name and address', () => {
      const store = open();
      expect(store.hasOfficers()).toBe(false);
      store.saveOfficer({ name: '王', passwordHash: 'h1', created: time });
      expect(store.hasOfficers()).toBe(true);
      expect(store.saveOfficer({ name: '王', passwordHash: 'h2', created: time })).toBe('updated');
      expect(store.findOfficer('王')?.passwordHash).toBe('h2');
      store.createSession({ tokenHash: 't', officer: '王', created: time, expires: new Date(time.getTime() + 1000) });
      expect(store.findSession('t')?.officer).toBe('王');
      store.deleteExpiredSessions(new Date(time.getTime() + 1000));
      expect(store.findSession('t')).toBeUndefined();
      for (const succeeded of [false, false, true]) store.recordSignInAttempt({ name: '王', address: '127.0.0.1', time, succeeded });
      store.recordSignInAttempt({ name: '王', address: '10.0.0.9', time, succeeded: false });
      expect(store.countFailedSignInAttempts('王', '127.0.0.1', time)).toBe(2);
      expect(store.countFailedSignInAttempts('王', '127.0.0.1', new Date(time.getTime() + 1))).toBe(0);
      store.close();
    });

    it('counts questions per local day and verdicts per document and lead department', () => {
      const store = open();
      // 23:30 UTC is the next morning in China (UTC+8).
      const late = store.recordExchange(exchange({ time: new Date('2025-03-01T23:30:00Z') }));
      store.recordExchange(exchange({ time: new Date('2025-03-01T23:40:00Z'), refused: true, channel: 'wecom' }));
      store.recordExchange(exchange({ time: new Date('2025-03-01T23:50:00Z'), answeredBy: '王', mode: 'handoff' }));
      store.addReview({ exchangeId: late.id, verdict: 'wrong', note: '', correctedAnswer: null, reviewer: '王', time });
      const counts = store.overview({}, 480);
      expect(counts.perDay).toEqual([
        { day: '2025-03-02', channel: 'telegram', questions: 1, refused: 0 },
        { day: '2025-03-02', channel: 'wecom', questions: 1, refused: 1 },
      ]);
      expect(counts.totals).toEqual({ questions: 2, refused: 1 });
      expect(counts.verdictsByDocument).toEqual([
        { docId: '000', docTitle: sampleCitation().doc_title, verdict: 'wrong', exchanges: 1 },
      ]);
      expect(counts.verdictsByDepartment).toEqual([{ department: '市人力资源社会保障局', verdict: 'wrong', exchanges: 1 }]);
      store.close();
    });
  });
}
