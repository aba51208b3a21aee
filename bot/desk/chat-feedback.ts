import type { ChannelName } from '../core/index.ts';

/**
 * What an asker did with an answer through the chat's own controls: WeCom's 👍 / 👎 on a streamed reply
 * (`feedback_event`) and the 转人工 button of a template card (`template_card_event`), Telegram's inline keyboard
 * (callback queries). `replyRef` is the reference the answer went out under (`Question.replyRef`).
 */
export interface ChatFeedback {
  channel: ChannelName;
  replyRef: string;
  userId: string;
  /** 👍 = helpful, 👎 = unhelpful, a rating taken back = cancelled, the 转人工 button = handoff. */
  kind: 'helpful' | 'unhelpful' | 'cancelled' | 'handoff';
  /** What the asker wrote with a 👎, when the platform lets them. */
  comment?: string;
  /** The platform's reason codes for a 👎 (WeCom's `inaccurate_reason_list`). */
  reasons?: number[];
}

export interface ChatFeedbackOutcome {
  /** The answer's standing rating after this press. */
  rating: 'helpful' | 'unhelpful' | null;
  /** The hand-off a 转人工 press opened, or the one already open for that answer; null for ratings. */
  handoffId: number | null;
  /** The 转人工 press found a hand-off already open for that answer (pressed twice, or the asker had typed 转人工). */
  handoffAlreadyOpen: boolean;
}

/** Where channels hand the asker's feedback; the desk records it with the exchange (`desk.ts`). */
export interface FeedbackReceiver {
  /**
   * Only the asker's own presses count (in a group, other members see the same controls).
   * @throws DeskError EXCHANGE_NOT_FOUND when no answer went out under `replyRef` on that channel, NOT_ASKER when
   * someone else pressed.
   */
  recordFeedback(feedback: ChatFeedback): Promise<ChatFeedbackOutcome>;
}
