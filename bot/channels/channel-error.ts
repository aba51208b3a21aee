/** Which front end raised the error. */
export type ChannelErrorSource = 'telegram' | 'wecom-bot' | 'wecom-callback';

/**
 * A failure in a chat channel, carrying what an operator needs to act: the channel, a stable code and the cause.
 * (When the core grows a `PolicyBotError` base, this should extend it.)
 */
export class ChannelError extends Error {
  readonly code: string;
  readonly channel: ChannelErrorSource;

  constructor(message: string, options: { code: string; channel: ChannelErrorSource; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.code = options.code;
    this.channel = options.channel;
  }
}

/** The platform rejected our credentials; retrying will not help until the configuration is fixed. */
export class ChannelAuthError extends ChannelError {
  constructor(message: string, options: { channel: ChannelErrorSource; cause?: unknown }) {
    super(message, { code: 'CHANNEL_AUTH', ...options });
    this.name = 'ChannelAuthError';
  }
}
