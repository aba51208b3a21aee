import { randomBytes } from 'node:crypto';
import type { Citation } from '../../../bot/core/answer.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';

/** Writes `count` exchanges the shape of real ones (a question, a quoted answer of ~2 500 characters, two citations). */
export async function fillLog(databasePath: string, count: number): Promise<void> {
  const store = openSqliteStore(databasePath);
  const citation = (docId: string, label: string): Citation =>
    ({
      doc_id: docId,
      doc_title: '清远市关于进一步支持中小微企业发展的若干措施',
      doc_number: '清府办〔2021〕34号',
      clause_id: `${docId}:${label}`,
      clause_label: label,
      clause_path: ['二、稳定就业'],
      clause_title: '稳岗返还',
      quote: '对不裁员或少裁员的中小微企业,返还比例最高提至60%。',
      lead_departments: ['市人力资源社会保障局'],
      support_departments: ['市财政局', '国家税务总局清远市税务局'],
    }) as unknown as Citation;
  const answer = `对不裁员或少裁员的中小微企业,失业保险稳岗返还比例最高提至60%。${'企业可向市人力资源社会保障局申请,材料包括申请表、营业执照复印件、缴费证明等。'.repeat(12)}`;
  const start = Date.parse('2025-01-01T00:00:00Z');
  // Part of each answer differs (here random), as real answers do: a log of one repeated answer compresses 200 to 1 and
  // the whole workbook would sit in the socket buffers, hiding whether the server waits for the download.
  store.database.exec('BEGIN');
  for (let index = 1; index <= count; index += 1) {
    await store.recordExchange({
      time: new Date(start + index * 60_000),
      channel: 'cli',
      chatId: `chat-${index % 997}`,
      userId: `user-${index % 313}`,
      messageId: null,
      question: `生成的第 ${index} 个问题:${index === 1 ? '=SUM(A1)?' : '稳岗返还比例是多少?'}`,
      normalizedQuestion: '稳岗返还比例是多少',
      answer: `${answer}${randomBytes(1500).toString('base64')}`,
      citations: [citation('000', '(二)'), citation('000', '(三)')],
      decision: 'answered',
      mode: 'extractive',
      latencyMs: 12,
      answeredBy: null,
      reviewedAnswerId: null,
    });
  }
  store.database.exec('COMMIT');
  await store.close();
}
