import type { Answer, Question } from '../../core/index.ts';
import { renderAnswer } from '../../core/index.ts';
import { createRuntime } from '../runtime.ts';
import type { CommandInput } from './command.ts';
import { chatLoop, readLines } from './terminal-input.ts';

/** `policybot ask`: one answer with citations, or one per stdin line (each its own conversation). */
export async function askCommand({ config, values, positionals }: CommandInput<{ json?: boolean }>): Promise<number> {
  const runtime = await createRuntime(config);
  const questions = positionals.length > 0 ? [positionals.join(' ')] : await readLines();
  for (const [index, item] of questions.entries()) {
    const answer = await runtime.assistant.ask(question(item, `ask-${index}`));
    console.log(values.json ? JSON.stringify(answer) : `${readable(answer)}\n`);
  }
  return 0;
}

/** `policybot chat`: a conversation on the terminal, keeping history. */
export async function chatCommand({ config }: CommandInput<object>): Promise<number> {
  const runtime = await createRuntime(config);
  console.log('政策通 — 输入问题回车；输入 exit 退出。');
  await chatLoop(runtime.assistant, 'cli');
  return 0;
}

function question(text: string, chatId: string): Question {
  return { text, channel: 'cli', chatId, userId: 'cli' };
}

/** An answer as the terminal shows it: its parts and sources once, in plain text (no Markdown markers). */
function readable(answer: Answer): string {
  return `问：${answer.question}\n答：${renderAnswer(answer, 'plain')}`;
}
