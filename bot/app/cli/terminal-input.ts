import { createInterface } from 'node:readline';
import type { Assistant } from '../../core/index.ts';
import { renderAnswer } from '../../core/index.ts';

/** The non-empty lines of stdin (batch questions, profiles, a scripted password). */
export async function readLines(): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) lines.push(line);
  return lines;
}

/** A conversation on the terminal, keeping history, until exit / quit / 退出 or the end of input. */
export async function chatLoop(assistant: Assistant, channel: 'cli' | 'console'): Promise<void> {
  const reader = createInterface({ input: process.stdin, output: process.stdout, prompt: '你> ' });
  reader.prompt();
  for await (const line of reader) {
    if (/^(exit|quit|退出)$/i.test(line.trim())) break;
    if (line.trim()) {
      const answer = await assistant.ask({ text: line, channel, chatId: 'terminal', userId: 'terminal' });
      console.log(`\n${renderAnswer(answer, 'plain')}\n`);
    }
    reader.prompt();
  }
  reader.close();
}

/** Reads a password without echoing it when on a terminal; from the first stdin line otherwise (scripts). */
export async function promptPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return (await readLines())[0] ?? '';
  process.stdout.write(prompt);
  process.stdin.setRawMode(true);
  let password = '';
  for await (const chunk of process.stdin) {
    for (const char of String(chunk)) {
      if (char === '\r' || char === '\n') {
        process.stdin.setRawMode(false);
        process.stdout.write('\n');
        return password;
      }
      if (char === '\u0003') process.exit(130);
      password = char === '\u007f' ? password.slice(0, -1) : password + char;
    }
  }
  return password;
}
