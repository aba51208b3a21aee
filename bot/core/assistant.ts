import type { Answer, Question } from './answer.ts';

export interface AskOptions {
  /** Called with the whole answer text so far, for channels that can show a streamed reply. */
  onPartial?: (textSoFar: string) => void;
}

/** The assistant core as every front end sees it: a question in, an answer with citations out. */
export interface Assistant {
  ask(question: Question, options?: AskOptions): Promise<Answer>;
  /** Officers answered `question` with these clauses: later, differently worded questions find them too. */
  learn?(question: string, clauseIds: string[]): void;
}
