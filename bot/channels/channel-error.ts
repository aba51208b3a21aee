import { PolicyBotError } from '../../corpus/index.ts';

/** Which front end raised the error. */
export type ChannelErrorSource = 'telegram' | 'wecom-bot' | 'wecom-callback';

/**
 * - `CHANNEL_CONFIG`: credentials missing or incomplete; the channel does not start.
 * - `CHANNEL_AUTH`: the platform rejected our credentials; retrying will not help until the configuration is fixed.
 * - `CHANNEL_SEND`: the platform's API answered with an error (`WeComApiError`: its errcode, whether retrying helps).
 * - `CHANNEL_HTTP`: the platform could not be reached or answered HTTP ≥ 400 (`WeComHttpError`); always retryable.
 */
export type ChannelErrorCode = 'CHANNEL_CONFIG' | 'CHANNEL_AUTH' | 'CHANNEL_SEND' | 'CHANNEL_HTTP';

/** A failure in a chat channel, carrying what an operator needs to act: the channel, a stable code and the cause. */
export class ChannelError extends PolicyBotError<ChannelErrorCode> {
  readonly channel: ChannelErrorSource;

  constructor(message: string, options: { code: ChannelErrorCode; channel: ChannelErrorSource; cause?: unknown }) {
    super(options.code, message, { cause: options.cause });
    this.channel = options.channel;
  }
}
