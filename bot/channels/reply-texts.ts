/** The fixed texts every channel shows, in one place so the channels say the same thing. */

export const INTRODUCTION = [
  '您好，我是政策问答助手。',
  '我根据已收录的政府政策文件回答企业关于扶持政策、补贴申报、办事部门等问题，每条回答都注明出处：文件名称与文号、具体条款、原文，以及牵头和配合部门。',
  '请直接用一句话提问，例如：“中小微企业失业保险稳岗返还的比例是多少？”',
  '回答仅供参考，以文件原文和主管部门解释为准。',
].join('\n');

export const THINKING = '正在查找相关政策…';

export const FAILURE = '抱歉，处理您的问题时出错了，请稍后再试。';

export const NO_SOURCES = '暂未收录政策文件。';

/** Heading of the `/sources` list. */
export const SOURCES_HEADING = '已收录的政策文件：';
