import { describe, expect, it } from 'vitest';
import { createRateLimiter, memoryRateWindow, storeRateWindow, type RateWindow } from '../../../bot/channels/rate-limiter.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';

const windows: [string, () => RateWindow][] = [
  ['in memory', memoryRateWindow],
  ['in the store', () => storeRateWindow(openSqliteStore(':memory:'))],
];

describe.each(windows)('rate limiter, window %s', (_name, makeWindow) => {
  it('allows N questions in any minute per user, then asks politely to wait', async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ perMinute: 3, maxQuestionChars: 100, now: () => now, window: makeWindow() });
    for (const second of [0, 10, 20]) {
      now = 1_000_000 + second * 1000;
      expect(await limiter.check('telegram:1', '稳岗返还比例？')).toEqual({ allowed: true, question: '稳岗返还比例？' });
    }
    now = 1_000_000 + 30_000;
    const refused = await limiter.check('telegram:1', '还有问题');
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.reply).toContain('提问太频繁，请约30秒后再试');
    expect((await limiter.check('telegram:2', '另一位用户')).allowed).toBe(true);
    // The window slides: a minute after the first question, one more is allowed.
    now = 1_000_000 + 60_000;
    expect((await limiter.check('telegram:1', '还有问题')).allowed).toBe(true);
    expect((await limiter.check('telegram:1', '再一个')).allowed).toBe(false);
  });

  it('refuses an overlong question, naming the limit, without counting it', async () => {
    const limiter = createRateLimiter({ perMinute: 1, maxQuestionChars: 10, window: makeWindow() });
    const refused = await limiter.check('wecom:a', '这是一个超过十个字的很长很长的问题');
    expect(!refused.allowed && refused.reply).toContain('问题太长了（17字），请控制在10字以内');
    expect((await limiter.check('wecom:a', '短问题')).allowed).toBe(true);
  });

  it('counts emoji as the characters a reader sees, as the assistant and the console do', async () => {
    const limiter = createRateLimiter({ perMinute: 5, maxQuestionChars: 200, window: makeWindow() });
    const refused = await limiter.check('wecom:b', '👍'.repeat(300));
    expect(!refused.allowed && refused.reply).toContain('问题太长了（300字），请控制在200字以内');
    // 👍🏽 and 👨‍👩‍👧 are one character each to a reader: 200 of them are within the limit.
    expect((await limiter.check('wecom:b', '👍🏽👨‍👩‍👧'.repeat(100))).allowed).toBe(true);
  });

  it('asks for a question when the message is empty', async () => {
    const refused = await createRateLimiter({ perMinute: 1, maxQuestionChars: 10, window: makeWindow() }).check('wecom:a', '   ');
    expect(!refused.allowed && refused.reply).toContain('请直接输入您想了解的政策问题');
  });
});
