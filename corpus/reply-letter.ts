/**
 * A reply letter (答复函, 复函, 回复, a proposal's 办理意见): a department's report on its work in answer to a
 * deputy's proposal or a letter. It assigns no responsibility in notes, so its departments are read from the running
 * text (`findActingDepartments`), and it is not a policy one can apply under, so it has no validity of its own.
 * Decided from the title alone: the parser and the validity read the same words.
 * @example isReplyLetter('清远市工业和信息化局关于对市八届政协二次会议第20230425号提案答复的函') // true
 */
export function isReplyLetter(title: string): boolean {
  return /答复|复函|回复|办理意见/.test(title);
}
