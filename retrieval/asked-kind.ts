import { statesQuantity, type QuantityKind } from './text-analysis.ts';

/**
 * What a question asks for besides its topic, and whether a sentence provides it. The number kinds
 * (amount, share, period, count) come from `asksQuantity`; these are the others a policy desk is asked.
 */
export type AskedKind = QuantityKind | 'materials' | 'procedure' | 'condition' | 'contact' | 'date';

/** Name of each kind in the uncertain answer's line "文件提到了…,但没有写明…". */
export const ASKED_KIND_NAMES: Record<AskedKind, string> = {
  money: '具体金额', share: '具体比例', period: '具体期限', count: '具体数量', any: '具体数额',
  materials: '需要提交的材料', procedure: '办理流程和渠道', condition: '适用条件', contact: '联系方式', date: '具体日期',
};

/** How each kind is asked, on the asking parts of a simplified, half-width question. */
const ASKING: [AskedKind, RegExp][] = [
  ['materials', /(什么|哪些|啥)(材料|资料|证明|手续)|材料(有哪些|清单)|(要|需要)(准备|提供|提交|带)(什么|哪些|啥)/],
  ['procedure', /(怎么|如何|怎样|咋)(申请|申报|办理?|领取?|拿|享受|操作|报名)|(申请|办理|申报|审批)(流程|程序|步骤|渠道|入口)|(哪些|什么|啥)(审批)?(流程|程序|步骤)|(去|到|在)哪(里|儿)?(申请|办|报|领)|哪里(申请|办|报|领)|网上(能|可以)?(办|申请)/],
  ['condition', /(什么|哪些|啥)(条件|要求|门槛|标准|资格)|(条件|门槛|要求)是(什么|啥)|需要满足|符合(什么|哪些)|够(不够|得上)|什么样的企业|哪些企业(能|可以)/],
  ['contact', /(电话|联系方式|联系人)(是|多少|是多少)?/],
  ['date', /(什么时候|哪天|几月|何时)(截止|开始|申报|申请|受理|发放|到账)|截止(日期|时间)/],
];

/** The non-number kinds a question asks (number kinds: see `asksQuantity`). */
export function askedKinds(asking: string): AskedKind[] {
  return ASKING.filter(([, pattern]) => pattern.test(asking)).map(([kind]) => kind);
}

/** "符合条件的企业" only refers to conditions; "符合国家产业政策和银行信贷条件" states them. */
const PROVIDING: Record<Exclude<AskedKind, QuantityKind>, RegExp> = {
  materials: /材料|证明|清单|复印件|申请表|提交|提供[^,。;]{0,8}(资料|证明|材料)/,
  procedure: /申请|申报|办理|受理|流程|程序|登录|平台|窗口|网上|线上|一网通办|向[^,。;]{1,14}(提出|申请|申报|报送)|免申即享|直接拨付|自动/,
  condition: /(符合|满足)(?!(相关|有关|规定的?|一定的?)?(条件|要求))[^,。;]{1,12}(条件|要求)|条件[为是:]|不低于|不少于|不超过|达到[^,。;]{0,12}(以上|标准|规模)|以上的|以下的|首次|新认定|凡[^,。;]{2,}/,
  contact: /电话|联系|热线|12345/,
  date: /[0-9]{4}年|[0-9]+月[0-9]*日?|年底|年内|之日|以前|之前|截至/,
};

/**
 * The size of a fund, pool or programme ("规模1亿元的应急转贷资金", "资金池规模为2亿元"): it tells how much the
 * government set aside, not what one enterprise gets, pays or may borrow.
 */
const PROGRAMME_SIZE = /(总?规模|总额|总量)(为|达到?|约|超过|不少于)?[0-9一二两三四五六七八九十百千.]+\s*(万|亿)元?/g;
/** The question asks for such a total ("资金池总规模有多大", "一共安排了多少资金"). */
export const ASKS_TOTAL = /规模|总额|总量|总共|一共|总计|盘子/;

/**
 * The sentence provides what is asked: a figure of that kind, or materials, a procedure, a condition, a contact, a
 * date. An amount asked per enterprise ("过桥资金用一次收多少", "单户最多贷多少") is not provided by a programme's size.
 */
export function provides(sentence: string, kind: AskedKind, options: { asksTotal?: boolean } = {}): boolean {
  if (kind === 'money' || kind === 'any') return statesQuantity(options.asksTotal ? sentence : sentence.replace(PROGRAMME_SIZE, ''), kind);
  if (kind === 'share' || kind === 'period' || kind === 'count') return statesQuantity(sentence, kind);
  return PROVIDING[kind].test(sentence);
}
