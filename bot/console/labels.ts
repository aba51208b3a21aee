import { departmentWords, SENTENCE_ENDS, type ValidityStatus } from '../../corpus/index.ts';
import type { AnswerMode, ChannelName, Decision } from '../core/index.ts';
import type { HandoffReason, HandoffStatus, OfficerRole, Verdict } from '../store/index.ts';
import type { SystemStatus } from './system-status.ts';

/**
 * The words the console shows for the values the API sends (channel, answer mode, decision, verdict, hand-off reason
 * and status, role, validity, channel state, the department headings), written once: the log export uses them, and the page reads them from
 * the JSON the server puts into index.html (`pageLabels`), so the two cannot drift. Typed by the values' unions: a new
 * value without its words does not compile.
 */

export const channelLabels: Record<ChannelName, string> = {
  'wecom-bot': '企业微信智能机器人',
  'wecom-callback': '企业微信自建应用',
  wecom: '企业微信',
  telegram: 'Telegram',
  console: '控制台',
  cli: '命令行',
};
export const modeLabels: Record<AnswerMode, string> = {
  extractive: '摘录',
  llm: '模型生成',
  reviewed: '审核答复',
  handoff: '转人工',
  notice: '提示',
  match: '政策匹配',
};
/** `unreviewed`: an exchange no officer has reviewed yet. */
export const verdictLabels: Record<Verdict | 'unreviewed', string> = { correct: '正确', wrong: '错误', incomplete: '不完整', unreviewed: '未审核' };
export const decisionLabels: Record<Decision, string> = { answered: '已回答', uncertain: '不确定', refused: '未找到' };
export const reasonLabels: Record<HandoffReason, string> = { requested: '用户要求转人工', uncertain: '回答不确定', refused: '未找到规定' };
export const statusLabels: Record<HandoffStatus, string> = { open: '待处理', answered: '已回复', closed: '已关闭', dismissed: '已忽略' };
export const roleLabels: Record<OfficerRole, string> = { officer: '专员', admin: '管理员' };
export const validityLabels: Record<ValidityStatus, string> = { in_force: '有效', expired: '已失效', not_yet_in_force: '尚未施行', unknown: '有效性未知' };
type ChannelRunState = SystemStatus['channels'][number]['state'];
export const stateLabels: Record<ChannelRunState, string> = { running: '运行中', off: '未启用', failed: '启动失败', stopped: '已停止' };

/** Everything the page needs to say what the server's values mean, and to split a quote into sentences as the server does. */
export function pageLabels() {
  return {
    channel: channelLabels,
    mode: modeLabels,
    verdict: verdictLabels,
    decision: decisionLabels,
    reason: reasonLabels,
    status: statusLabels,
    role: roleLabels,
    validity: validityLabels,
    state: stateLabels,
    departments: departmentWords,
    sentenceEnds: SENTENCE_ENDS,
  };
}

/**
 * The labels as a JSON data block for index.html: `<script type="application/json">` is never run, so the
 * content-security policy (`script-src 'self'`) allows it, and "<" is escaped so no text can close the element.
 */
export function labelsDataBlock(): string {
  const json = JSON.stringify(pageLabels()).replace(/</g, '\\u003c');
  return `<script type="application/json" id="console-labels">${json}</script>`;
}
