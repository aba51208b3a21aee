import type { Store } from '../store/index.ts';

/**
 * The recent turns of each chat, which follow-ups ("那这个找哪个部门?") refer to. A turn is plain JSON data the
 * assistant core defines. In memory for one process (`createMemoryChatHistory`); in the store when several
 * workers answer the same chats or a restart must not forget them (`createStoreChatHistory`).
 */
export interface ChatHistory<Turn = unknown> {
  /** The chat's last turns, oldest first. */
  recent(chatKey: string): Promise<Turn[]>;
  append(chatKey: string, turn: Turn): Promise<void>;
}

export interface ChatHistoryOptions {
  /** Turns kept per chat. */
  turns?: number;
}

/**
 * One process's history: `turns` per chat, and the `maxChats` most recently active chats.
 * @example createAssistant({ retriever, chatHistory: createMemoryChatHistory({ turns: 6 }) })
 */
export function createMemoryChatHistory<Turn>({ turns = 6, maxChats = 2000 }: ChatHistoryOptions & { maxChats?: number } = {}): ChatHistory<Turn> {
  const histories = new Map<string, Turn[]>();
  return {
    async recent(chatKey) {
      return histories.get(chatKey) ?? [];
    },
    async append(chatKey, turn) {
      const kept = histories.get(chatKey) ?? [];
      histories.delete(chatKey); // re-insert: Map order doubles as least-recently-used order
      histories.set(chatKey, [...kept, turn].slice(-turns));
      while (histories.size > maxChats) histories.delete(histories.keys().next().value!);
    },
  };
}

/** A follow-up refers to something said lately; after a week of silence a chat starts afresh. */
export const chatHistoryTtlMs = 7 * 86_400_000;

/**
 * History in the store, shared by every worker on the same database and kept across restarts.
 * @example createAssistant({ retriever, chatHistory: createStoreChatHistory(store) })
 */
export function createStoreChatHistory<Turn>(
  store: Pick<Store, 'appendChatTurn' | 'recentChatTurns'>,
  { turns = 6, clock = () => new Date() }: ChatHistoryOptions & { clock?: () => Date } = {},
): ChatHistory<Turn> {
  return {
    async recent(chatKey) {
      return (await store.recentChatTurns(chatKey, turns, new Date(clock().getTime() - chatHistoryTtlMs))) as Turn[];
    },
    async append(chatKey, turn) {
      await store.appendChatTurn(chatKey, turn, turns, clock());
    },
  };
}
