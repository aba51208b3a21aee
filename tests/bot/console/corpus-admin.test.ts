import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOfficer } from '../../../bot/console/officers.ts';
import { signedIn, type ConsoleClient } from './console-client.ts';
import { marineMeasures } from './marine-measures.ts';
import { adminName, adminPassword, startRealConsoleServer, type RealConsoleServer } from './real-console-server.ts';

let server: RealConsoleServer;
let admin: ConsoleClient;
beforeAll(async () => {
  server = await startRealConsoleServer();
  admin = await signedIn(server.url, adminName, adminPassword);
});
afterAll(async () => {
  await server?.close();
});

const corpusFiles = () => readdirSync(server.corpusDir).sort();
const upload = (filename: string, content: string | Buffer, extra: Record<string, string> = {}) =>
  admin.post('/api/documents', { filename, content_base64: Buffer.from(content).toString('base64'), ...extra });

describe('the charts, the review page and the CSV count the clauses the asker was shown', () => {
  it('one 正确 on a financing answer puts bars only on the departments of the clauses shown', async () => {
    const { exchange, answer } = await server.desk.handle({ text: '民营企业融资难有什么支持措施?', channel: 'wecom-bot', chatId: 'room-1', userId: 'u1' });
    expect(answer.decision).toBe('answered');
    const shown = new Set(answer.citations.map((citation) => citation.clause_id));
    // Retrieved but not shown: their departments must not appear.
    const hidden = (answer.retrieved ?? [])
      .filter((hit) => !shown.has(hit.clause_id))
      .flatMap((hit) => server.live.current.corpus.clause(hit.clause_id)?.leadDepartments ?? []);
    const shownLeads = new Set(answer.citations.flatMap((citation) => citation.lead_departments));
    expect(hidden.filter((name) => !shownLeads.has(name)).length).toBeGreaterThan(0);

    expect((await admin.post(`/api/exchanges/${exchange.id}/reviews`, { verdict: 'correct' })).status).toBe(201);
    const overview = (await admin.get('/api/overview?from=2025-03-01&to=2025-03-03')).body;
    const charted = overview.verdicts_by_department.map((row: { department: string }) => row.department);
    expect(new Set(charted)).toEqual(shownLeads);
    expect(charted.some((name: string) => /法院|检察院|纪委|纪律检查/.test(name))).toBe(false);
    expect(overview.verdicts_by_document.map((row: { doc_id: string }) => row.doc_id).sort()).toEqual(
      [...new Set(answer.citations.map((citation) => citation.doc_id))].sort(),
    );

    const detail = (await admin.get(`/api/exchanges/${exchange.id}`)).body;
    expect(detail.citations.map((item: { citation: { clause_id: string } }) => item.citation.clause_id)).toEqual([...shown]);
    const csv = (await admin.get('/api/export.csv')).body as string;
    const row = csv.split('\r\n').find((line) => line.includes('民营企业融资难')) ?? '';
    for (const hiddenName of hidden.filter((name) => !shownLeads.has(name))) expect(row).not.toContain(hiddenName);
  });
});

describe('corpus managed from the console', () => {
  it('adds an uploaded document through the corpus add checks, and answers from it at once', async () => {
    const before = corpusFiles();
    const added = await upload('海洋牧场措施.txt', marineMeasures, { region: '广东省江门市' });
    expect(added.status).toBe(201);
    expect(added.body.document).toMatchObject({
      doc_title: '江门市关于支持海洋牧场建设的若干措施',
      doc_number: '江府办〔2024〕9号',
      clause_count: 3,
      place: '江门市',
    });
    expect(added.body.report).toEqual(expect.arrayContaining([expect.stringContaining('条款:3 条')]));
    expect(added.body.document.warnings).toEqual(['1 条未列明责任单位']);
    const docId = added.body.document.doc_id;
    expect(
      corpusFiles()
        .filter((file) => !before.includes(file))
        .sort(),
    ).toEqual([`${docId}_海洋牧场措施.meta.json`, `${docId}_海洋牧场措施.txt`]);

    const asked = (await admin.post('/api/ask', { question: '深远海养殖平台有什么补助?' })).body;
    expect(asked.answer.decision).toBe('answered');
    expect(asked.answer.citations[0]).toMatchObject({ doc_id: docId, clause_label: '一', lead_departments: ['市农业农村局'] });
    expect(asked.answer.answer).toContain('20%');
    const audit = (await admin.get('/api/audit')).body;
    expect(audit.items[0]).toMatchObject({ officer: adminName, action: 'corpus.upload', target: docId });
  });

  it('refuses an empty, binary, unnumbered or duplicate file with a reason and leaves the corpus as it was', async () => {
    const before = corpusFiles();
    const documents = (await admin.get('/api/documents')).body.items.length;
    const cases: [string, string | Buffer, RegExp][] = [
      ['空文件.txt', '', /空文件/],
      ['图片.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9, 9]), /不是文本文件/],
      ['通知.txt', '关于开会的通知\n请各单位准时参加会议,会议地点在三楼会议室,会议内容为研究部署下半年重点工作。\n', /没有找到编号的条款/],
      [
        '重复.txt',
        readFileSync(path.join(server.corpusDir, readdirSync(server.corpusDir).find((file) => file.startsWith('000_') && file.endsWith('.txt'))!)),
        /已在文件库中:000/,
      ],
    ];
    for (const [name, content, reason] of cases) {
      const refused = await upload(name, content);
      expect({ name, status: refused.status }).toEqual({ name, status: 400 });
      expect(refused.body.error.message).toMatch(reason);
      expect(refused.body.error.message).toContain('文件库未作任何改动');
    }
    expect(corpusFiles()).toEqual(before);
    expect((await admin.get('/api/documents')).body.items.length).toBe(documents);
  });

  it("corrects a clause's lead department beside the published text: the answer changes, the text does not, a reload keeps it", async () => {
    const question = '失业保险稳岗返还比例是多少?';
    const first = (await admin.post('/api/ask', { question })).body.answer;
    expect(first.citations[0]).toMatchObject({ clause_id: '000:一(二)', lead_departments: ['市人力资源社会保障局'] });
    const textFile = path.join(server.corpusDir, readdirSync(server.corpusDir).find((file) => file.startsWith('000_') && file.endsWith('.txt'))!);
    const published = readFileSync(textFile, 'utf8');

    server.now.value = new Date('2025-03-03T03:00:00Z');
    const corrected = await admin.post('/api/documents/000/corrections', {
      clause_id: '000:一(二)',
      lead_departments: ['市社会保险基金管理局'],
      support_departments: first.citations[0].support_departments,
      title: first.citations[0].clause_title,
      note: '经办单位已调整',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.clause).toMatchObject({
      lead_departments: ['市社会保险基金管理局'],
      support_departments: first.citations[0].support_departments,
      correction: {
        fields: ['lead_departments'],
        by: adminName,
        time: '2025-03-03T03:00:00.000Z',
        note: '经办单位已调整',
        parsed: { lead_departments: ['市人力资源社会保障局'] },
      },
    });
    const again = (await admin.post('/api/ask', { question: '中小微企业失业保险稳岗返还比例是多少?' })).body.answer;
    expect(again.citations[0]).toMatchObject({ clause_id: '000:一(二)', lead_departments: ['市社会保险基金管理局'] });
    expect(again.answer).toContain('市社会保险基金管理局');
    expect(readFileSync(textFile, 'utf8')).toBe(published);
    expect(existsSync(textFile.replace(/\.txt$/, '.corrections.json'))).toBe(true);

    // Parsed again from the files: the correction is still there, shown as corrected in the document.
    expect((await admin.post('/api/corpus/reload')).status).toBe(200);
    const document = (await admin.get('/api/documents/000')).body;
    const clause = document.clauses
      .flatMap(function flat(node: any): any[] {
        return [node, ...node.children.flatMap(flat)];
      })
      .find((node: { clause_id: string }) => node.clause_id === '000:一(二)');
    expect(clause).toMatchObject({ lead_departments: ['市社会保险基金管理局'], correction: { by: adminName } });
    expect(document.corrections).toBe(1);
    const audit = (await admin.get('/api/audit')).body.items.map((item: { action: string }) => item.action);
    expect(audit.slice(0, 2)).toEqual(['corpus.reload', 'clause.correct']);

    // Setting the parsed values back removes the correction.
    const undone = await admin.post('/api/documents/000/corrections', {
      clause_id: '000:一(二)',
      lead_departments: ['市人力资源社会保障局'],
      support_departments: first.citations[0].support_departments,
      title: first.citations[0].clause_title,
      note: '',
    });
    expect(undone.body.clause.correction).toBeNull();
    expect(existsSync(textFile.replace(/\.txt$/, '.corrections.json'))).toBe(false);
  });

  it('refuses a bad correction with a reason, and corpus changes from officers who are not admins', async () => {
    const bad = await admin.post('/api/documents/000/corrections', {
      clause_id: '000:一(二)',
      lead_departments: ['市税务局'],
      support_departments: ['市税务局'],
      title: null,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('不能同时是牵头单位和配合单位');
    expect((await admin.post('/api/documents/000/corrections', { clause_id: '000:九十九', lead_departments: [], support_departments: [] })).status).toBe(404);

    await addOfficer(server.store, '李强', 'officer passphrase');
    const officer = await signedIn(server.url, '李强', 'officer passphrase');
    for (const [path, body] of [
      ['/api/documents', { filename: 'a.txt', content_base64: '' }],
      ['/api/documents/000/corrections', { clause_id: '000:一(二)' }],
      ['/api/corpus/reload', {}],
      ['/api/officers', { name: '赵' }],
    ] as const) {
      const response = await officer.post(path, body);
      expect({ path, status: response.status, code: response.body.error.code }).toEqual({ path, status: 403, code: 'ADMIN_ONLY' });
    }
    // Reading the corpus and the overview stays open to every officer.
    expect((await officer.get('/api/documents/000')).status).toBe(200);
    expect((await officer.get('/api/overview')).status).toBe(200);
    expect((await officer.get('/api/me')).body).toMatchObject({ officer: '李强', role: 'officer' });
  });

  it('shows the channels, the corpus and its index on the status panel', async () => {
    const status = (await admin.get('/api/status')).body;
    expect(status.channels).toMatchObject([
      { label: 'WeCom smart bot', state: 'running' },
      { label: 'Telegram', state: 'off', missing: ['TELEGRAM_BOT_TOKEN'] },
    ]);
    expect(status.corpus).toMatchObject({
      documents: server.live.current.corpus.documents.length,
      clauses: server.live.current.corpus.clauses.length,
      index: { vectors: server.live.current.corpus.clauses.length },
    });
    expect(status.corpus.last_reload_error).toBeNull();
    expect(status.handoffs).toMatchObject({ open: expect.any(Number) });
  });
});
