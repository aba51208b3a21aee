import type { Answer, Question } from '../../../bot/core/answer.ts';
import type { AskOptions, Assistant } from '../../../bot/core/assistant.ts';
import type { LogDetails, Logger } from '../../../bot/logger.ts';
import { loadConfig, type Config } from '../../../bot/app/config.ts';
import { ScriptedAssistant } from '../../helpers.ts';

/** A configuration from explicit variables only (never the developer's .env). */
export function testConfig(env: Record<string, string | undefined>): Config {
  return loadConfig({ POLICYBOT_DATA_DIR: '/tmp/policybot-channel-tests', ...env });
}

/** Records log lines so tests can check what an operator would read, and that no secret or question leaked. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; message: string; details?: LogDetails; name?: string }> = [];
  constructor(
    private readonly name?: string,
    lines?: RecordingLogger['lines'],
  ) {
    if (lines) this.lines = lines;
  }
  debug(message: string, details?: LogDetails) {
    this.lines.push({ level: 'debug', message, details, name: this.name });
  }
  info(message: string, details?: LogDetails) {
    this.lines.push({ level: 'info', message, details, name: this.name });
  }
  warn(message: string, details?: LogDetails) {
    this.lines.push({ level: 'warn', message, details, name: this.name });
  }
  error(message: string, details?: LogDetails) {
    this.lines.push({ level: 'error', message, details, name: this.name });
  }
  /** Records into the same lines, each with the child's name. */
  child(name: string): RecordingLogger {
    return new RecordingLogger(this.name ? `${this.name}/${name}` : name, this.lines);
  }
  /** Everything logged, as one string, to search for leaks. */
  text(): string {
    return this.lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.details ?? {})}`).join('\n');
  }
}

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An assistant that answers like ScriptedAssistant, except that questions matching `isSlow` wait until `release()`:
 * a stand-in for a slow model, with no timing in the test.
 */
export class GatedAssistant implements Assistant {
  private readonly scripted: ScriptedAssistant;
  /** Every question, recorded when asked (before any wait). */
  readonly questions: Question[] = [];
  private readonly waiting: Array<() => void> = [];
  private released = false;

  constructor(
    private readonly isSlow: (question: Question) => boolean,
    reply?: (question: Question) => Partial<Answer>,
  ) {
    this.scripted = new ScriptedAssistant(reply);
  }

  /** Number of slow questions currently held. */
  get held(): number {
    return this.waiting.length;
  }

  release(): void {
    this.released = true;
    for (const resume of this.waiting.splice(0)) resume();
  }

  async ask(question: Question, options?: AskOptions): Promise<Answer> {
    this.questions.push(question);
    if (this.isSlow(question) && !this.released) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.scripted.ask(question, options);
  }
}
