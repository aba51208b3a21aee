import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../bot/channels/rate-limiter.ts';

describe('rate limiter', () => {
  it('allows N questions in any minute per user, then asks politely to wait', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ perMinute: 3, maxQuestionChars: 100, now: () => now });
    for (const second of [0, 10, 20]) {
      now = 1_000_000 + second * 1000;
      expect(limiter.check('telegram:1', '稳岗返还比例？')).toEqual({ allowed: true, question: '稳岗返还比例？' });
    }
    now = 1_000_000 + 30_000;
    const refused = limiter.check('telegram:1', '还有问题');
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.reply).toContain('提问太频繁，请约30秒后再试');
    expect(limiter.check('telegram:2', '另一位用户').allowed).toBe(true);
    // The window slides: a minute after the first question, one more is allowed.
    now = 1_000_000 + 60_000;
    expect(limiter.check('telegram:1', '还有问题').allowed).toBe(true);
    expect(limiter.check('telegram:1', '再一个').allowed).toBe(false);
  });

  it('refuses an overlong question, naming the limit, without counting it', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxQuestionChars: 10 });
    const refused = limiter.check('wecom:a', '这是一个超过十个字的很长很长的问题');
    expect(!refused.allowed && refused.reply).toContain('问题太长（17字），请控制在10字以内');
    expect(limiter.check('wecom:a', '短问题').allowed).toBe(true);
  });

  it('asks for a question when the message is empty', () => {
    const refused = createRateLimiter({ perMinute: 1, maxQuestionChars: 10 }).check('wecom:a', '   ');
    expect(!refused.allowed && refused.reply).toContain('请直接输入您想了解的政策问题');
  });
});
