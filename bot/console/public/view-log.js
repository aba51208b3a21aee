// @ts-check
import { api, badge, channelLabels, decisionBadge, decisionLabels, formatTime, formFields, h, modeLabels, pager, verdictLabels } from './dom.js';

/** @typedef {import('../api-json.ts').ExchangeJson} ExchangeJson */
/** @typedef {import('../api-json.ts').PageJson<ExchangeJson>} ExchangePage */
/** @typedef {import('./dom.js').Attributes} Attributes */
/** @typedef {import('../../store/index.ts').Verdict} Verdict */

const filterNames = ['channel', 'from', 'to', 'doc', 'department', 'verdict', 'decision', 'rating', 'delivery', 'order', 'q'];
/** @type {[string, string][]} */
const deliveryOptions = [
  ['undelivered', '未送达（待发送或发送失败）'],
  ['failed', '发送失败'],
  ['pending', '待发送'],
  ['delivered', '已补发送达'],
];
/** @type {import('../api-json.ts').FacetsJson | undefined} */
let facets;

/** The log query of an address, without what is not a filter or the page (so links keep exactly these). */
/** @param {URLSearchParams} params */
export function logQuery(params) {
  const query = new URLSearchParams();
  // An older link's "只看拒答" is the decision filter now.
  if (params.get('refused') === '1' && !params.get('decision')) query.set('decision', 'refused');
  for (const name of [...filterNames, 'page']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

/**
 * The log: every exchange newest first, with filters kept in the address so a filtered view can be shared.
 * @param {import('./dom.js').Route} route
 */
export async function renderLog(route) {
  /** @type {import('../api-json.ts').FacetsJson} */
  const offered = facets ?? (await api('facets'));
  facets = offered;
  const query = logQuery(route.params);
  // Answers acknowledged to WeCom but not (yet) in the asker's chat: counted whatever the filters.
  /** @type {Promise<ExchangePage>[]} */
  const readings = [api(`exchanges?${query}`), api('exchanges?delivery=undelivered&page_size=1')];
  const [result, undelivered] = await Promise.all(readings);
  const pages = Math.max(1, Math.ceil(result.total / result.page_size));
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete('page');

  return h(
    'section',
    { 'aria-labelledby': 'log-title' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'log-title' }, '问答记录'),
      h(
        'div',
        { class: 'actions' },
        h('a', { href: `api/export.csv?${exportQuery}`, download: '' }, '导出 CSV'),
        h('a', { href: `api/export.xlsx?${exportQuery}`, download: '' }, '导出 Excel'),
      ),
    ),
    filterForm(query, offered),
    undelivered.total > 0 && query.get('delivery') !== 'undelivered'
      ? h(
          'p',
          { class: 'card error', role: 'note' },
          `有 ${undelivered.total} 条答复尚未送达提问人（待发送或发送失败）。`,
          h('a', { href: '#/log?delivery=undelivered' }, '只看未送达'),
        )
      : null,
    h('p', { class: 'muted', role: 'status' }, `共 ${result.total} 条${pages > 1 ? `,第 ${result.page} / ${pages} 页` : ''}`),
    result.items.length
      ? h(
          'ol',
          { class: 'list', 'aria-label': '问答记录列表' },
          result.items.map((exchange) => exchangeCard(exchange, query)),
        )
      : h('p', { class: 'card muted' }, '没有符合条件的记录。'),
    pager({
      page: result.page,
      pages,
      href: (target) => {
        const address = new URLSearchParams(query);
        address.set('page', String(target));
        return `#/log?${address}`;
      },
    }),
  );
}

/**
 * @param {URLSearchParams} params
 * @param {import('../api-json.ts').FacetsJson} facets
 */
function filterForm(params, facets) {
  /**
   * @param {string} name
   * @param {string} label
   * @param {[string, string | undefined][]} options value and text
   */
  const select = (name, label, options) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `filter-${name}` }, label),
      h(
        'select',
        { id: `filter-${name}`, name },
        h('option', { value: '' }, '全部'),
        options.map(([value, text]) => h('option', { value, selected: params.get(name) === value }, text)),
      ),
    );
  /**
   * @param {string} name
   * @param {string} label
   * @param {string} [type]
   * @param {Attributes} [extra]
   */
  const input = (name, label, type = 'text', extra = {}) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `filter-${name}` }, label),
      h('input', { id: `filter-${name}`, name, type, value: params.get(name) ?? '', ...extra }),
    );
  // Departments by place, each once however the documents spell it (市发改局 = 市发展改革局).
  const department = h(
    'div',
    { class: 'field' },
    h('label', { for: 'filter-department' }, '部门'),
    h(
      'select',
      { id: 'filter-department', name: 'department' },
      h('option', { value: '' }, '全部'),
      facets.department_groups.map((group) =>
        h(
          'optgroup',
          { label: group.place },
          group.departments.map((item) =>
            h(
              'option',
              {
                value: item.value,
                selected: params.get('department') === item.value,
                title: item.names.length > 1 ? `也写作:${item.names.filter((name) => name !== item.label).join('、')}` : null,
              },
              item.names.length > 1 ? `${item.label}(${item.names.filter((name) => name !== item.label).join('、')})` : item.label,
            ),
          ),
        ),
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'card filters', role: 'search', 'aria-label': '筛选问答记录' },
    input('q', '关键词', 'search', { placeholder: '企业提问中的文字' }),
    select(
      'channel',
      '渠道',
      facets.channels.map((channel) => [channel, channelLabels[channel] ?? channel]),
    ),
    input('from', '开始日期', 'date'),
    input('to', '结束日期', 'date'),
    select(
      'doc',
      '引用文件',
      facets.documents.map((document) => [document.doc_id, document.doc_title]),
    ),
    department,
    select(
      'decision',
      '回答结论',
      facets.decisions.map((decision) => [decision, decisionLabels[decision]]),
    ),
    select(
      'verdict',
      '审核结论',
      /** @type {(Verdict | 'unreviewed')[]} */ (['unreviewed', ...facets.verdicts]).map((verdict) => [verdict, verdictLabels[verdict]]),
    ),
    select('rating', '提问人评价', [
      ['unhelpful', '👎 没有帮助'],
      ['helpful', '👍 有帮助'],
    ]),
    select('delivery', '送达状态', deliveryOptions),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'order', value: 'unhelpful_first', checked: params.get('order') === 'unhelpful_first' }),
      '👎 的回答排在前面(待审核优先)',
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, '筛选'),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            location.hash = '#/log';
          },
        },
        '清除',
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of formFields(form)) if (value) query.set(name, value);
    location.hash = `#/log?${query}`;
  });
  return form;
}

/**
 * @param {ExchangeJson} exchange
 * @param {URLSearchParams} query
 */
function exchangeCard(exchange, query) {
  const documents = [...new Set(exchange.citations.map((citation) => citation.doc_title))];
  const clauses = exchange.citations.map((citation) => citation.clause_label).join('、');
  const leads = [...new Set(exchange.citations.flatMap((citation) => citation.lead_departments))];
  // The review page links back to this very page of the log, with these filters.
  const back = query.toString() ? `?back=${encodeURIComponent(query.toString())}` : '';
  return h(
    'li',
    {},
    h(
      'article',
      { class: 'card', 'aria-label': `问答 ${exchange.id}` },
      h(
        'p',
        { class: 'meta' },
        h('time', { datetime: exchange.time }, formatTime(exchange.time)),
        badge(channelLabels[exchange.channel] ?? exchange.channel),
        badge(modeLabels[exchange.mode] ?? exchange.mode, exchange.mode === 'reviewed' ? 'reviewed' : ''),
        decisionBadge(exchange.decision),
        exchange.answered_by ? h('span', {}, `专员 ${exchange.answered_by} 回复`) : null,
        badge(verdictLabels[exchange.verdict ?? 'unreviewed'] ?? exchange.verdict ?? 'unreviewed', exchange.verdict ?? ''),
        ...askerFeedback(exchange.asker_feedback),
        deliveryBadge(exchange.delivery),
      ),
      h('p', { class: 'question' }, exchange.question),
      h('p', { class: 'excerpt' }, exchange.answer),
      documents.length
        ? h(
            'p',
            { class: 'small muted' },
            `${exchange.decision === 'uncertain' ? '相关规定' : '引用'}:${documents.join(';')} ${clauses}`,
            leads.length ? ` · 牵头:${leads.join('、')}` : '',
          )
        : null,
      h('a', { href: `#/review/${exchange.id}${back}` }, '查看并审核', h('span', { class: 'muted' }, ` #${exchange.id}`)),
    ),
  );
}

/**
 * An answer sent after the platform was told the question arrived (WeCom's "success"): whether it reached the chat.
 * Delivered ones are not marked; answers given in the platform's own response have no delivery at all.
 */
/** @param {ExchangeJson['delivery']} delivery */
function deliveryBadge(delivery) {
  if (!delivery || delivery.status === 'delivered') return null;
  if (delivery.status === 'failed') {
    const element = badge(`未送达：发送失败（已试 ${delivery.attempts} 次）`, 'wrong');
    if (delivery.last_error) element.title = delivery.last_error;
    return element;
  }
  return badge(
    delivery.route === 'passive' ? '未送达：等待提问人发送“查看答复”' : `未送达：待发送${delivery.attempts ? `（已试 ${delivery.attempts} 次）` : ''}`,
    'incomplete',
  );
}

/** What the asker did in the chat: 👍 / 👎 on the answer and 转人工. */
/** @param {ExchangeJson['asker_feedback'] | undefined} feedback */
function askerFeedback(feedback) {
  if (!feedback) return [];
  return [
    feedback.rating === 'helpful' ? badge('👍 提问人认为有帮助', 'correct') : null,
    feedback.rating === 'unhelpful' ? badge('👎 提问人认为没有帮助', 'wrong') : null,
    feedback.handoff_requested ? badge('提问人点了转人工', 'incomplete') : null,
  ];
}
