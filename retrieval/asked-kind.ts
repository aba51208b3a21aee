import { statesQuantity, type QuantityKind } from './text-analysis.ts';

/**
 * What a question asks for besides its topic, and whether a sentence provides it. The number kinds
 * (amount, share, period, count) come from `asksQuantity`; these are the others a policy desk is asked.
 */
export type AskedKind = QuantityKind | 'materials' | 'procedure' | 'condition' | 'contact' | 'date' | 'hours' | 'consequence' | 'items';

/** Name of each kind in the uncertain answer's line "文件提到了…,但没有写明…". */
export const ASKED_KIND_NAMES: Record<AskedKind, string> = {
  money: '具体金额',
  share: '具体比例',
  period: '具体期限',
  count: '具体数量',
  any: '具体数额',
  materials: '需要提交的材料',
  procedure: '办理流程和渠道',
  condition: '适用条件',
  contact: '联系方式或地址',
  date: '具体日期',
  hours: '办公或服务时间',
  consequence: '相应后果',
  items: '具体包括哪些',
};

/** How each kind is asked, on the asking parts of a simplified, half-width question. */
const ASKING: [AskedKind, RegExp][] = [
  ['materials', /(什么|哪些|啥)(材料|资料|证明|手续)|材料(有哪些|清单)|(要|需要)(准备|提供|提交|带)(什么|哪些|啥)/],
  [
    'procedure',
    /(怎么|如何|怎样|咋)(申请|申报|办理?|领取?|拿|享受|操作|报名|登录|登记|填写?|弄|走|报|进行|交|缴纳?|缴费|付)|(流程|手续|程序)(怎么|如何|怎样)(走|办|弄)|(申请|办理|申报|审批)(流程|程序|步骤|渠道|入口)|(哪些|什么|啥)(审批)?(流程|程序|步骤)|(去|到|在)哪(里|儿)?(申请|办|报|领|备案|登记|提交)|哪里(申请|办|报|领|备案|登记|提交)|网上(能|可以)?(办|申请)|(怎么|如何|怎样)(发放?|拨付?|兑现|兑付|到账|打款)|(打|转|发|拨)到[^,。;?]{0,8}(账户|账上|卡上|卡里)/,
  ],
  [
    'condition',
    /(什么|哪些|啥)(条件|要求|门槛|标准|资格)|(条件|门槛|要求)是(什么|啥)|需要满足|符合(什么|哪些)|够(不够|得上)|什么样的(企业|公司|单位|人才|人|项目)|哪些[\u4e00-\u9fff]{0,3}?(企业|公司|单位|项目|人才)(能|可以|才能|符合|满足|算|属于)|(才|能|可以)?有资格|够资格|达到(什么|哪个|哪一|几)/,
  ],
  [
    'contact',
    /(电话|联系方式|联系人|网址|网站|链接|地址)(是|多少|是多少|在哪)?|在哪个?(位置|地方)|在什么(位置|地方)|(在|去|到)哪(里|儿)?[^,。;?]{0,4}(发布|公布|公开|公示|查看?|看到?|找到)|设在哪(?!个?(单位|部门|局|个机构))|在哪(里|儿)?(?=[?\s]|$)|(在|去|到)那(里|儿)(?=[?\s]|$|能|可以|办|领|申请|报名|拿|找)|(怎么|如何|跟谁|找谁)联系/,
  ],
  ['date', /(什么时候|啥时候|何时)(截止|开始|申报|申请|受理|发放|到账|开|举办|召开)|哪天|哪一天|几月份?|几号|哪一年|截止(日期|时间)/],
  // When a window or a line is open: "几点上班", "热线是24小时的吗", "周末打有人接吗" (not "24小时内办结吗", a period).
  [
    'hours',
    /几点(钟)?(上班|下班|开门|关门|开始|结束|以后|之前|前)?|(上班|下班|办公|工作|营业|开放|服务|受理)时间|24小时(?![内之])|全天|(周末|周六|周日|星期天|节假日|晚上|中午)[^,。;?]{0,6}(有人|上班|开门|能办|办不办|可以办|接|打)/,
  ],
  // What follows from doing or missing something: "没提前发布会怎么样", "有什么后果", "会不会被罚" ("还有效吗" asks a
  // document's validity, read apart).
  [
    'consequence',
    /(会|有)(什么|啥|哪些)(后果|影响|处罚|责任)|会怎(么|样)(样|办|处理)?|后果|还(算数|作数)吗|会不会(被)?(罚|处罚|取消|追责|追究|拉黑|列入|影响|作废|无效)|要不要(被)?(罚|处罚)/,
  ],
  // What a list holds: "轻微违法不予处罚清单里面具体有哪些", "免罚事项目录包括什么" — a measure that only names its list
  // does not say.
  ['items', /(清单|目录|名录|名单)(里|上|中|内)?面?(具体)?(都)?(有|包括|包含|涉及|列了|是)?(哪些|什么|啥)/],
];

/** The non-number kinds a question asks (number kinds: see `asksQuantity`). */
export function askedKinds(asking: string): AskedKind[] {
  return ASKING.filter(([, pattern]) => pattern.test(asking)).map(([kind]) => kind);
}

/** "符合条件的企业" only refers to conditions; "符合国家产业政策和银行信贷条件" states them. */
const PROVIDING: Record<Exclude<AskedKind, QuantityKind>, RegExp> = {
  materials: /材料|证明|清单|复印件|申请表|提交|提供[^,。;]{0,8}(资料|证明|材料)/,
  // How money reaches the enterprise is its procedure too: "直接拨付", "兑付至企业账户".
  procedure: /申请|申报|办理|受理|流程|程序|登录|平台|窗口|网上|线上|一网通办|向[^,。;]{1,14}(提出|申请|申报|报送)|免申即享|直接拨付|拨付至|兑付至|直达|自动/,
  condition:
    /(符合|满足)(?!(相关|有关|规定的?|一定的?)?(条件|要求))[^,。;]{1,12}(条件|要求)|条件[为是:]|不低于|不少于|不超过|达到[^,。;]{0,12}(以上|标准|规模)|以上的|以下的|首次|新认定|凡[^,。;]{2,}/,
  // Where to do it is a contact too: "应在“广东省招标投标监管网”…发布", "在政务服务大厅办理".
  contact:
    /电话|联系(人|方式|地址|窗口)|热线|12345|网址|网站|www\.|https?:|地址|位于|设在|在“?[^,。;]{2,24}(网|平台|系统|窗口|大厅)”?[^,。;]{0,16}(发布|公开|公示|申报|申请|办理|查询|登记)/,
  date: /[0-9]{4}年|[0-9]+月[0-9]*日?|年底|年内|之日|以前|之前|截至/,
  hours:
    /[0-9]{1,2}[:：][0-9]{2}|[0-9一二三四五六七八九十]{1,3}(点|时)(?![钟多]?[以之]?前)|(?<!个)工作日(?!内)|周[一二三四五六日末]|星期[一二三四五六日天]|双休日|节假日|24小时(?![内之])|全天候?|7\s*[×x*]\s*24|全年无休|延时服务|错时服务|预约服务/,
  // Items listed ("…、…、…"), or what the list includes or counts ("包括", "共842项").
  items: /[^,。;、]{1,16}、[^,。;、]{1,16}、|包括|包含|涵盖|[0-9]+\s*(项|类|种)/,
  consequence: /否则|不予|不得|取消|撤销|追究|处罚|罚款|责令|无效|失信|黑名单|约谈|通报|问责|暂停|退回|收回|追回|承担|免予|免罚|不罚|视为|纳入/,
};

/**
 * The size of a fund, pool or programme ("规模1亿元的应急转贷资金", "资金池规模为2亿元"), or a total a reply letter
 * reports ("全市共发放一次性扩岗补贴500.7万余元"): it tells how much was set aside or paid out in all, not what
 * one enterprise gets, pays or may borrow.
 */
const PROGRAMME_SIZE =
  /(总?规模|总额|总量)(为|达到?|约|超过|不少于)?[0-9一二两三四五六七八九十百千.]+\s*(万|亿)元?|(共|累计|合计|共计|总计)(为[^,。;]{1,12})?(发放|拨付|兑现|安排|投入|减免|减轻|返还|落实|帮助|支持|新增|办理|提供)[^,。;]{0,16}?[0-9.]+\s*(万|亿)余?元?/g;
/**
 * What the city did in all, as a reply letter reports it: "1-5月,全市发放创业担保贷款54笔合计4118万元,贴息550.63万元",
 * "2021年我市兑现…,合计奖励企业4080万元". Every figure of such a sentence is a total.
 */
const CITY_REPORT = /(全市|我市|全县|全区)(共|累计|已|合计)?(发放|拨付|兑现|办理|减免|减轻|返还|帮助|投放)|惠及[0-9.]+\s*万?余?(人次|家|户|人|个)/;
/** A year or a day of the calendar: "2017年", "2022年12月31日", "7月31日". */
const DATE_FIGURE = /[0-9]{4}\s*年([0-9]{1,2}月)?([0-9]{1,2}日)?|[0-9]{1,2}月[0-9]{1,2}日/g;
/** Fewer papers is not a list of them: "少报材料、少带证件", "精简申请材料", "免于提交证明". */
const FEWER_MATERIALS = /(少|减少|精简|压减|压缩|简化|免于?|无需|不再|不用)(填报?|报送?|提交|提供|带|携带|申请)?[^,。;、]{0,4}(材料|证明|证件|资料)/g;
/** A named rate the question asks ("担保费率", "贷款利率", "税率"): only a sentence naming it states it. */
export const NAMED_RATE = /费率|利率|税率/;
/** A share of a base that sets an amount: "按…的60%返还", "给予投资额10%的补助". */
const SHARE_OF_BASE = /按[^,。;]{0,30}[0-9.]+\s*%|[0-9.]+\s*%[^,。;]{0,6}(返还|补助|补贴|奖励|资助|贴息|扶持)/;
/** A goal the government sets itself, not what an enterprise gets: "到2025年,…达到3.4%以上", "力争新增…". */
const TARGET = /(^|[,,])(到|至|力争到?|争取到?)[0-9]{4}年(底|末)?|力争|争取/;
const QUANTITY_KINDS = new Set<AskedKind>(['money', 'share', 'period', 'count', 'any']);
const isQuantityKind = (kind: AskedKind): kind is QuantityKind => QUANTITY_KINDS.has(kind);
/**
 * The question asks what an enterprise gets (a subsidy, reward, refund, relief) or what it must meet to qualify
 * ("研发费用占比要达到多少才行", "门槛是多少"): a city's goal for all enterprises states neither.
 */
export const ASKS_BENEFIT = /补|贴|奖|返|减免|免|资助|扶持|给予|优惠|退|领|能用|能拿|拿多少|给多少|才(行|能|可以|算|够)|门槛|够不够|达标/;
/** The question asks how often ("见面会多久开一次", "一年检查几次"): a stated frequency answers it. */
export const ASKS_FREQUENCY =
  /(多久|多长时间|隔多久)[^,。;?]{0,4}(一次|1次)|(一年|每年|一个月|每月|一季度|每季度)[^,。;?]{0,4}几次|频率|多久(开|搞|办|举行|召开|来)(?![好完成下结理出])/;
/**
 * A frequency: "双月见面会", "每季度", "按月". Not "定期" (regularly), which says there is a schedule, not how often:
 * asked 多久一次, a measure that 定期通报 was the answer over the one holding 双月见面会.
 */
const FREQUENCY = /每个?(月|季度|季|年|周|半年|两个?月)|双月|半月|按(月|季度?|年)/;
/** So many times in a period: "每年抽查1次", "一年不超过2次", "每季度至少走访一次". */
const TIMES_PER = /(每|一)个?(年|月|季度|季|周|半年)[^,。;]{0,10}[0-9一二两三四五六七八九十]+\s*次|[0-9一二两三四五六七八九十]+\s*次\s*\/\s*(年|月|季度)/;
/** The question asks where online ("网址多少", "在哪个app或者小程序里"): a phone number or a window does not say. */
export const ASKS_WEB = /网址|网站|官网|链接|app|小程序|公众号|二维码/i;
/** A sentence giving an online address: a URL, a named site ("广东省招标投标监管网"), an app, a mini program, an account. */
const WEB_ADDRESS = /www\.|https?:|网址|网站|\.cn|\.com|app|小程序|公众号|二维码|粤商通|浙里办|一网通办|网”|(监管|服务|信息|门户|政务|交易)网/i;
/** The question asks a price ("转让价格怎么定", "地价多少"): only a sentence naming a price (价) states it. */
export const ASKS_PRICE = /价格|价钱|地价|售价|单价|定价|卖价|买价/;
/**
 * The question asks a number of days, hours, weeks or months ("多少个工作日", "几天", "几个月", "多久能办完", "多长时间批下来"),
 * not a year or a date: "2022年以来,…简易注销…超四成" does not say how long a 注销 takes.
 */
export const ASKS_DURATION = /(几|多少)\s*个?(工作日|天|小时|周|星期|个月)|多少个?工作日|(多久|多长时间)[^,。;?]{0,4}(办|批|处理|完成|到账|拿到|下来|审)/;
/** A stated duration: "3个工作日", "15天", "至少30日", "6个月" — not "2022年" or "5月1日". */
const DURATION = /[0-9一二两三四五六七八九十百半]+\s*个?(工作日|天|小时|周|个月)|(?<![月0-9])[0-9一二三四五六七八九十百]+日/;
/** Done at once ("当场限时办结", "即来即办", "当日办结", "秒批"): it says how long, as a number of days would. */
const AT_ONCE = /当场(限时)?(办结|办理|办|发放|出证)|即来即办|即办件?|即时办结|立等可取|当[日天](办结|办理|出证)|秒批|秒办/;
/** The question asks for such a total ("资金池总规模有多大", "池子有多大", "一共安排了多少资金", "1-5月发放了多少贷款"). */
export const ASKS_TOTAL =
  /规模|总额|总量|总共|一共|总计|盘子|全市|(资金池|池子|基金)(规模)?(有|是)?多(大|少)|(发放|发|拨付|兑现|奖励|补贴|减免|惠及|帮助)了多少/;

/**
 * The sentence provides what is asked: a figure of that kind, or materials, a procedure, a condition, a contact, a
 * date. An amount asked per enterprise ("过桥资金用一次收多少", "单户最多贷多少") is not provided by a programme's size.
 */
export function provides(
  sentence: string,
  kind: AskedKind,
  options: {
    asksTotal?: boolean;
    asksBenefit?: boolean;
    asksFrequency?: boolean;
    asksDuration?: boolean;
    asksPrice?: boolean;
    asksWeb?: boolean;
    askedRate?: string | null;
    askedBenefit?: string[] | null;
    toldFigures?: RegExp[];
  } = {},
): boolean {
  // "分3年给45万,每年各给多少?" is not answered by "分3年给予45万元补助": the asker told that figure; it asks another.
  if (isQuantityKind(kind) && options.toldFigures?.length) {
    const rest = options.toldFigures.reduce((text, figure) => text.replace(figure, ''), sentence);
    if (rest !== sentence) return provides(rest, kind, { ...options, toldFigures: [] });
  }
  // "研发后补助按多少比例补?" is not answered by a goal ("到2025年,研发费用占营业收入的比例达到3.4%以上").
  if (options.asksBenefit && isQuantityKind(kind) && TARGET.test(sentence)) return false;
  // "生活补助多少" is not answered by "给予20万元建站补助": the figure of another benefit.
  if (isQuantityKind(kind) && options.askedBenefit && !options.askedBenefit.some((form) => sentence.includes(form))) return false;
  // "转让价格怎么定" is not answered by "不超过50%转让给其他企业": a figure that is not a price.
  if ((kind === 'money' || kind === 'any') && options.asksPrice && !sentence.includes('价')) return false;
  if (kind === 'money' || kind === 'any') {
    // A reply letter's report of what the city paid out in all answers only a question asking for the total.
    if (!options.asksTotal && CITY_REPORT.test(sentence)) return false;
    const sized = options.asksTotal ? sentence : sentence.replace(PROGRAMME_SIZE, '');
    // "能减缴多少" is not answered by "按不高于2017年征收标准" or "期限至2022年12月31日": a date is not an amount.
    const own = kind === 'any' ? sized.replace(DATE_FIGURE, '') : sized;
    // "返多少", "补多少" are answered by a share of a base ("按实际缴纳失业保险费的60%返还") as well as by an amount.
    return statesQuantity(own, kind) || (kind === 'money' && SHARE_OF_BASE.test(own));
  }
  // "担保费率是多少" is not answered by "担保比例从5%提高至8%": a percentage of another rate.
  if (kind === 'share' && options.askedRate && !sentence.includes(options.askedRate)) return false;
  if (kind === 'materials') return PROVIDING.materials.test(sentence.replace(FEWER_MATERIALS, ''));
  // "帮企云平台在哪个app里,网址多少" is not answered by "设立“帮企云”投诉平台和“96666”举报电话".
  if (kind === 'contact' && options.asksWeb) return WEB_ADDRESS.test(sentence);
  if (kind === 'period' && options.asksFrequency && FREQUENCY.test(sentence)) return true;
  // "一年会被抽查几次" is answered by a frequency ("每年抽查1次", "每季度"), not by a count of other things (入库4526人).
  if (kind === 'count' && options.asksFrequency) return FREQUENCY.test(sentence) || TIMES_PER.test(sentence);
  if (kind === 'period' && !options.asksFrequency && AT_ONCE.test(sentence)) return true;
  // "要多少个工作日", "几天能办完": a number of days, hours or months says it; a year or a date ("2022年以来") does not.
  if (kind === 'period' && options.asksDuration) return DURATION.test(sentence);
  if (isQuantityKind(kind)) return statesQuantity(sentence, kind);
  return PROVIDING[kind].test(sentence);
}
