import { describe, expect, it } from 'vitest';
import { clippedQuestion, questionLength, questionTooLong } from '../../../bot/core/question-length.ts';

describe('question length', () => {
  it('counts characters as a reader sees them, white space runs as one', () => {
    expect(questionLength('👍'.repeat(300))).toBe(300);
    expect(questionLength('稳岗返还👍🏽👨‍👩‍👧1️⃣')).toBe(7);
    expect(questionLength('  稳岗\n\n  返还  ')).toBe(5);
    expect(questionLength('𠀀𠀁')).toBe(2); // ideographs outside the BMP
  });

  it('says how long a question is and what the limit is, in Chinese', () => {
    expect(questionTooLong('👍'.repeat(300), 200)).toBe('问题太长了（300字），请控制在200字以内，只保留关键情况。');
    expect(questionTooLong('👍'.repeat(300), 300)).toBeNull();
  });

  it('cuts a search query to the limit by the same count, never inside an emoji', () => {
    expect(clippedQuestion('稳岗👍🏽返还', 3)).toBe('稳岗👍🏽');
    expect(clippedQuestion('👍'.repeat(300), 200)).toBe('👍'.repeat(200));
    expect(clippedQuestion('稳岗返还', 10)).toBe('稳岗返还');
  });
});
