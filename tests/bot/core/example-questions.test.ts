import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { EXAMPLE_QUESTIONS_FILE } from '../../../bot/app/example-question-feed.ts';
import { startLiveRuntime } from '../../../bot/app/live-runtime.ts';
import { readExampleQuestions } from '../../../bot/core/example-questions.ts';
import { createAssistant } from '../../../bot/core/policy-assistant.ts';
import { createLogger } from '../../../bot/logger.ts';
import { FakeOpenAIServer, type ReceivedRequest, type ScriptedReply } from './fake-openai-server.ts';

// Example questions written by a model per clause (EXAMPLE_QUESTIONS=1), end to end: the live runtime, the real
// OpenAIChatModel (ChatOpenAI) against an OpenAI-compatible server on loopback, the cache file beside the index.
const TODAY = '2026-12-01';
const SECRET = 'sk-example-questions-secret-7731';
// 敲钟 (an IPO, said the way owners say it) is a word none of the documents uses.
const QUESTION = '清远这边公司去敲钟,市里给多少钱?';
const IPO_CLAUSE = '000:二(二十一)';

describe('readExampleQuestions', () => {
  it('reads the JSON array of questions in a reply, and nothing from prose or garbage', () => {
    expect(readExampleQuestions('好的:\n["上市能奖多少钱?","敲钟有没有奖励"]')).toEqual(['上市能奖多少钱?', '敲钟有没有奖励']);
    expect(readExampleQuestions('["短", 42, "上市能奖多少钱?", "上市能奖多少钱?"]')).toEqual(['上市能奖多少钱?']);
    expect(readExampleQuestions(`["${'很长'.repeat(50)}"]`)).toBeNull();
    expect(readExampleQuestions('这条措施讲的是上市奖励。')).toBeNull();
    expect(readExampleQuestions('[not json')).toBeNull();
    expect(readExampleQuestions('{"questions": "上市"}')).toBeNull();
  });
});

describe('example questions written by the configured model', () => {
  let server: FakeOpenAIServer;
  let root: string;
  const examplePrompts = (requests: ReceivedRequest[]) =>
    requests.filter((request) => request.body.messages?.some((message) => message.content.includes('检索用的示例问题')));
  /** The model as the test scripts it: the IPO measure gets owners' words; (一) always gets garbage; others a plain question. */
  const model = (request: ReceivedRequest): ScriptedReply => {
    const prompt = request.body.messages?.map((message) => message.content).join('\n') ?? '';
    const label = /措施：(\S+)/.exec(prompt)?.[1] ?? '';
    if (label === '(一)') return { kind: 'answer', pieces: ['抱歉，我不能完成这个请求。'] };
    if (label === '(二十一)') return { kind: 'answer', pieces: ['["公司要去敲钟了,市里奖多少钱?","敲钟上市有没有奖励?","上市成功奖励找哪个部门?"]'] };
    return { kind: 'answer', pieces: [`["${label}这条怎么申请?"]`] };
  };

  beforeAll(async () => {
    server = await FakeOpenAIServer.start();
    root = mkdtempSync(path.join(tmpdir(), 'policybot-examples-'));
    const corpusDir = path.join(root, 'documents');
    // One document (68 clauses) keeps the model calls few.
    for (const name of ['000_4abef4e170d3a762.txt', '000_4abef4e170d3a762.meta.json'])
      cpSync(path.resolve('corpus/documents', name), path.join(corpusDir, name), { recursive: true });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const configFor = (extra: Record<string, string>) =>
    loadConfig({
      CORPUS_DIR: path.join(root, 'documents'),
      POLICYBOT_DATA_DIR: path.join(root, 'data'),
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: SECRET,
      CHAT_MODEL: 'test-model',
      LLM_TIMEOUT_MS: '5000',
      ...extra,
    });
  const ask = (retriever: Parameters<typeof createAssistant>[0]['retriever']) =>
    createAssistant({ retriever, today: () => TODAY }).ask({ text: QUESTION, channel: 'cli', chatId: 'examples', userId: 'tester' });

  it('makes a measure asked in words no document uses found, writes each clause once, and keeps the key out of the log', async () => {
    server.reply(model);
    const plain = await startLiveRuntime(configFor({}), { watchMs: 0, logger: createLogger({ write: () => {} }) });
    expect(plain.examples).toBeUndefined();
    expect((await ask(plain.current.retriever)).decision).toBe('refused');
    plain.stop();
    expect(examplePrompts(server.requests)).toHaveLength(0);

    const log: string[] = [];
    const live = await startLiveRuntime(configFor({ EXAMPLE_QUESTIONS: '1' }), { watchMs: 0, logger: createLogger({ write: (line) => log.push(line) }) });
    await live.examples;
    const clauses = live.current.corpus.clauses.length;
    expect(examplePrompts(server.requests)).toHaveLength(clauses);
    // The clause is shown to the model with its document and label.
    const ipoPrompt = examplePrompts(server.requests).find((request) => request.body.messages![0]!.content.includes('措施：(二十一)'))!;
    expect(ipoPrompt.body.messages![0]!.content).toContain('清远市关于促进民营经济高质量发展的若干意见');
    expect(ipoPrompt.body.messages![0]!.content).toContain('1000万元');

    const answer = await ask(live.current.retriever);
    expect(answer.decision).not.toBe('refused');
    expect(answer.citations[0]?.clause_id).toBe(IPO_CLAUSE);
    expect(answer.answer).toContain('1000万元');
    expect(answer.answer).toContain('市金融局');
    live.stop();

    const saved = JSON.parse(readFileSync(path.join(root, 'data', 'index', EXAMPLE_QUESTIONS_FILE), 'utf8'));
    // Every clause but the one whose reply was no array of questions.
    expect(Object.keys(saved.questions)).toHaveLength(clauses - 1);
    expect(log.join('\n')).toContain(`新写 ${clauses - 1} 条，1 条未写成`);
    expect(log.join('\n')).toContain('无法读取');
    expect(`${log.join('\n')}${readFileSync(path.join(root, 'data', 'index', EXAMPLE_QUESTIONS_FILE), 'utf8')}`).not.toContain(SECRET);
  });

  it('asks again at the next start only for the clause that got no questions, and answers from the cache at once', async () => {
    server.reply(model);
    const before = examplePrompts(server.requests).length;
    const live = await startLiveRuntime(configFor({ EXAMPLE_QUESTIONS: '1' }), { watchMs: 0, logger: createLogger({ write: () => {} }) });
    await live.examples;
    const asked = examplePrompts(server.requests).slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.body.messages![0]!.content).toContain('措施：(一)');
    expect((await ask(live.current.retriever)).citations[0]?.clause_id).toBe(IPO_CLAUSE);
    live.stop();
  });

  it('gives up for this start when the endpoint fails, answering as offline, and reads a damaged cache as empty', async () => {
    const file = path.join(root, 'data', 'index', EXAMPLE_QUESTIONS_FILE);
    expect(existsSync(file)).toBe(true);
    cpSync(path.resolve('tests/bot/core/fake-openai-server.ts'), file); // not JSON
    server.reply({ kind: 'error', status: 500, message: `upstream failed for key ${SECRET}` });
    const before = examplePrompts(server.requests).length;
    const log: string[] = [];
    const live = await startLiveRuntime(configFor({ EXAMPLE_QUESTIONS: '1' }), { watchMs: 0, logger: createLogger({ write: (line) => log.push(line) }) });
    await live.examples;
    // Two clauses in a row failed (two requests at a time): the rest are left for the next start.
    expect(examplePrompts(server.requests).length - before).toBeLessThanOrEqual(4);
    expect(log.join('\n')).toContain('已损坏');
    expect(log.join('\n')).toContain('连续无法访问');
    expect(log.join('\n')).not.toContain(SECRET);
    expect((await ask(live.current.retriever)).decision).toBe('refused');
    live.stop();
  });
});

describe('EXAMPLE_QUESTIONS', () => {
  it('is 0 or 1, and needs a chat model', () => {
    expect(() => loadConfig({ EXAMPLE_QUESTIONS: 'yes', CHAT_MODEL: 'm' })).toThrow('EXAMPLE_QUESTIONS');
    expect(() => loadConfig({ EXAMPLE_QUESTIONS: '1' })).toThrow('需要 CHAT_MODEL');
    expect(loadConfig({ EXAMPLE_QUESTIONS: '1', CHAT_MODEL: 'm' }).openai.exampleQuestions).toBe(true);
    expect(loadConfig({}).openai.exampleQuestions).toBe(false);
  });
});
