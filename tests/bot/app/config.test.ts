import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../bot/app/config.ts';
import { runPolicybot } from '../../helpers.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration checked at start', () => {
  it('takes the defaults when nothing is set, and empty as unset', () => {
    const config = loadConfig({ PORT: '', RATE_LIMIT_PER_MINUTE: '', EMBEDDER: '' });
    expect(config).toMatchObject({ port: 8080, rateLimitPerMinute: 10, maxQuestionChars: 500, sessionHours: 12, embedder: 'hashed', debug: false });
  });

  it('refuses a number that is not one, naming the variable and the form it takes', () => {
    // Before, "ten" became NaN and silently turned the limit off.
    const [problem, ...others] = problemsOf({ RATE_LIMIT_PER_MINUTE: 'ten' });
    expect(others).toEqual([]);
    expect(problem).toBe('RATE_LIMIT_PER_MINUTE=“ten”：应为 1–1000 的整数（每位用户每分钟可问的问题数），如 RATE_LIMIT_PER_MINUTE=10');
    expect(problemsOf({ PORT: '80a' })[0]).toContain('PORT=“80a”：应为 0–65535 的整数');
    expect(problemsOf({ MAX_QUESTION_CHARS: '-5' })[0]).toContain('MAX_QUESTION_CHARS=“-5”');
    expect(problemsOf({ LLM_TIMEOUT_MS: '20s' })[0]).toContain('LLM_TIMEOUT_MS=“20s”');
    expect(problemsOf({ SESSION_HOURS: 'twelve' })[0]).toContain('SESSION_HOURS=“twelve”：应为大于 0');
    expect(problemsOf({ RATE_LIMIT_PER_MINUTE: '0' })[0]).toContain('RATE_LIMIT_PER_MINUTE=“0”');
  });

  it('refuses an unknown EMBEDDER, and openai without a model', () => {
    expect(problemsOf({ EMBEDDER: 'bge' })[0]).toBe('EMBEDDER=“bge”：应为 hashed（离线，默认）或 openai（OPENAI_BASE_URL 的嵌入接口，需设 EMBEDDING_MODEL）');
    expect(problemsOf({ EMBEDDER: 'openai' })[0]).toContain('EMBEDDER=openai 需要 EMBEDDING_MODEL');
    expect(loadConfig({ EMBEDDER: 'openai', EMBEDDING_MODEL: 'bge-m3', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }).embedder).toBe('openai');
  });

  it('refuses a malformed URL, and never repeats a value that holds a password', () => {
    expect(problemsOf({ OPENAI_BASE_URL: '127.0.0.1:11434/v1' })[0]).toBe(
      'OPENAI_BASE_URL=“127.0.0.1:11434/v1”：应为 http:// 或 https:// 开头的完整网址，如 http://127.0.0.1:11434/v1',
    );
    expect(problemsOf({ WECOM_WS_URL: 'https://openws.work.weixin.qq.com' })[0]).toContain(
      'WECOM_WS_URL=“https://openws.work.weixin.qq.com”：应为 wss:// 或 ws://',
    );
    expect(problemsOf({ TELEGRAM_WEBHOOK_URL: 'not a url' })[0]).toContain('TELEGRAM_WEBHOOK_URL=“not a url”');
    const database = problemsOf({ DATABASE_URL: 'mysql://policybot:s3cret-pw@db/policybot' });
    expect(database[0]).toContain('DATABASE_URL（值含密码，不显示）：应为 postgres:// 或 postgresql://');
    expect(database.join('')).not.toContain('s3cret-pw');
    const officer = problemsOf({ POLICYBOT_OFFICER: 'only-a-password' });
    expect(officer[0]).toContain('POLICYBOT_OFFICER（值含密码，不显示）：应为“账号名:密码”');
    expect(officer.join('')).not.toContain('only-a-password');
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: 'http', EMBEDDER: 'bert', TRUSTED_PROXIES: '127.0.0.1,nginx', POLICYBOT_DEBUG: 'yes' });
    expect(problems.map((problem) => problem.split(/[=（ ]/)[0])).toEqual(['EMBEDDER', 'POLICYBOT_DEBUG', 'TRUSTED_PROXIES', 'PORT']);
  });

  it('refuses to start the service, saying in Chinese what to change, with nothing started', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-config-'));
    const result = await runPolicybot(['serve'], { env: { POLICYBOT_DATA_DIR: dataDir, PORT: '0', RATE_LIMIT_PER_MINUTE: 'ten', EMBEDDER: 'word2vec' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('policybot: 配置有误，未启动：');
    expect(result.stderr).toContain('RATE_LIMIT_PER_MINUTE=“ten”：应为 1–1000 的整数');
    expect(result.stderr).toContain('EMBEDDER=“word2vec”');
    expect(result.stderr).toContain('请改正 .env 或环境变量');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('已启动');
  });
});
