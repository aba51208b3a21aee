/** The fixed texts every channel shows, in one place so the channels say the same thing. */

export const INTRODUCTION = [
  '您好，我是政策问答助手。',
  '我根据已收录的政府政策文件回答企业关于扶持政策、补贴申报、办事部门等问题，每条回答都注明出处：文件名称与文号、具体条款、原文，以及牵头和配合部门。',
  '请直接用一句话提问，例如：“中小微企业失业保险稳岗返还的比例是多少？”',
  '回答仅供参考，以文件原文和主管部门解释为准。',
].join('\n');

/** Telegram's /help (and what WeCom's welcome leaves out): how to ask, and what else the bot understands. */
export const HELP = [
  '使用说明：',
  '• 直接发送问题即可，例如：“小微企业稳岗返还比例是多少？找哪个部门？”可以接着追问，如“那有效期到什么时候？”',
  '• 在群聊中，请用 /ask 加问题，或 @ 机器人提问。',
  '• 每条回答都列出出处（文件名称与文号、条款、牵头和配合部门），请以原文为准。',
  '• 回答下方可以点 👍 或 👎 评价；点 👎 的回答会由政策服务专员复核。',
  '• 需要人工解答时，发送“转人工”（或点回答下方的“转人工”），政策服务专员会在此会话中回复您。',
  '• /sources 列出已收录的政策文件；/start 查看简介。',
].join('\n');

export const THINKING = '正在查找相关政策…';

export const FAILURE = '抱歉，处理您的问题时出错了，请稍后再试。';

export const NO_SOURCES = '暂未收录政策文件。';

/** Heading of the `/sources` list. */
export const SOURCES_HEADING = '已收录的政策文件：';

/** The button under an answer the bot could not give. */
export const HANDOFF_BUTTON = '转人工';

/** WeCom's template card under such an answer: title and line. */
export const HANDOFF_CARD_TITLE = '需要人工解答吗？';
export const HANDOFF_CARD_DESCRIPTION = '点“转人工”，政策服务专员会在此会话中回复您。';

/** The card or button once pressed. */
export const HANDOFF_PRESSED = '已转人工';
export const HANDOFF_PRESSED_DESCRIPTION = '政策服务专员会在此会话中回复您，请留意消息。';
/** Pressed again, or after typing 转人工: the hand-off is already waiting for an officer. */
export const HANDOFF_ALREADY_OPEN = '已在为您转接，政策服务专员会在此会话中回复您。';
/** The press could not be recorded (the answer is no longer known). */
export const HANDOFF_FAILED = '暂时无法转接，请直接回复“转人工”。';

/** Telegram's rating buttons and what a press answers. */
export const RATE_HELPFUL = '👍 有帮助';
export const RATE_UNHELPFUL = '👎 没帮助';
export const RATED_HELPFUL = '感谢您的反馈！';
export const RATED_UNHELPFUL = '感谢反馈，我们会请政策服务专员复核这条回答。';
export const RATING_WITHDRAWN = '已撤销评价。';
export const NOT_THE_ASKER = '只有提问人可以评价或转接这条回答。';
export const FEEDBACK_FAILED = '暂时无法记录您的反馈，请稍后再试。';
