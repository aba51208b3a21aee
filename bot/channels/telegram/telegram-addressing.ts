import type { Message, MessageEntity, UserFromGetMe } from 'telegraf/types';

/**
 * Decides whether a text message is a question for the bot and returns it without the bot's mention.
 * Private chats: every message that is not a command. Groups: only messages that mention the bot
 * (`@username`, case-insensitive, or a text_mention of the bot) or reply to one of its messages;
 * `/ask` is routed by telegraf's command matcher before this is consulted.
 * Returns null when the message is not addressed to the bot.
 */
export function addressedQuestion(message: Message.TextMessage, bot: UserFromGetMe): string | null {
  const entities = message.entities ?? [];
  if (message.chat.type === 'private') {
    return startsWithCommand(entities) ? null : message.text.trim();
  }
  if (message.chat.type !== 'group' && message.chat.type !== 'supergroup') return null;
  const mentions = entities.filter((entity) => mentionsBot(message.text, entity, bot));
  const repliesToBot = message.reply_to_message?.from?.id === bot.id;
  if (mentions.length === 0 && !repliesToBot) return null;
  return removeEntities(message.text, mentions).replace(/\s+/g, ' ').trim();
}

/** True for a message starting with a /command (handled by the command handlers, or not ours). */
export function startsWithCommand(entities: readonly MessageEntity[]): boolean {
  return entities.some((entity) => entity.type === 'bot_command' && entity.offset === 0);
}

function mentionsBot(text: string, entity: MessageEntity, bot: UserFromGetMe): boolean {
  if (entity.type === 'text_mention') return entity.user.id === bot.id;
  if (entity.type !== 'mention') return false;
  // Entity offsets are UTF-16 code units, which is how JavaScript indexes strings.
  return text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === `@${bot.username}`.toLowerCase();
}

function removeEntities(text: string, entities: readonly MessageEntity[]): string {
  return [...entities]
    .sort((left, right) => right.offset - left.offset)
    .reduce((result, entity) => result.slice(0, entity.offset) + ' ' + result.slice(entity.offset + entity.length), text);
}
