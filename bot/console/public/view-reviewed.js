// @ts-check
import { announce, api, badge, errorMessage, formatTime, formFields, h, pager } from './dom.js';

const tabs = [
  ['active', '在用'],
  ['retired', '已停用'],
];

/**
 * Officer-approved answers: what each says, how often it was served, how close a question must be; edit or disable.
 * @param {import('./dom.js').Route} route
 */
export async function renderReviewed(route) {
  /** @typedef {import('../api-json.ts').ReviewedAnswerJson} ReviewedAnswerJson */
  const status = route.params.get('status') === 'retired' ? 'retired' : 'active';
  const q = route.params.get('q') ?? '';
  const page = Math.max(1, Number.parseInt(route.params.get('page') ?? '1', 10) || 1);
  const query = new URLSearchParams({ status });
  if (q) query.set('q', q);
  query.set('page', String(page));
  /** @type {import('../api-json.ts').ReviewedAnswerPageJson} */
  const { items, default_min_similarity: defaultSimilarity, has_more: hasMore } = await api(`reviewed-answers?${query}`);
  return h(
    'section',
    { 'aria-labelledby': 'reviewed-title', class: 'stack' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'reviewed-title' }, '审核答复'),
      h(
        'nav',
        { class: 'actions tabs', 'aria-label': '审核答复状态' },
        tabs.map(([key, label]) =>
          h(
            'a',
            {
              href: key === 'active' ? '#/reviewed' : `#/reviewed?status=${key}`,
              'aria-current': key === status ? 'page' : null,
            },
            label,
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted small' },
      `企业的问题与下列问题足够接近时,各渠道直接回复审核答复并标明“已经政策服务专员审核”。默认相似度 ${defaultSimilarity}:语序不同、少了“的”或一个限定词仍算相同;换了问法或换了措施不算。`,
    ),
    searchForm(status, q),
    h('p', { class: 'muted', role: 'status' }, page > 1 || hasMore ? `第 ${page} 页，本页 ${items.length} 条` : `共 ${items.length} 条`),
    items.length
      ? h(
          'ol',
          { class: 'list' },
          items.map((item) => h('li', {}, answerCard(item, defaultSimilarity))),
        )
      : h(
          'p',
          { class: 'card muted' },
          q ? '没有匹配的审核答复。' : status === 'active' ? '还没有审核答复。在问答记录中审核一条回答即可添加。' : '没有停用的审核答复。',
        ),
    pager({
      page,
      hasMore,
      href: (target) => {
        const address = new URLSearchParams(status === 'active' ? {} : { status });
        if (q) address.set('q', q);
        address.set('page', String(target));
        return `#/reviewed?${address}`;
      },
    }),
  );
}

/**
 * @param {'active' | 'retired'} status
 * @param {string} q
 */
function searchForm(status, q) {
  const form = h(
    'form',
    { class: 'card actions', role: 'search', 'aria-label': '搜索审核答复' },
    h(
      'div',
      { class: 'field grow' },
      h('label', { for: 'reviewed-search' }, '搜索问题或答复'),
      h('input', { id: 'reviewed-search', name: 'q', type: 'search', value: q, placeholder: '如:工会经费' }),
    ),
    h('button', { type: 'submit' }, '搜索'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (status !== 'active') query.set('status', status);
    const text = formFields(form).get('q');
    if (text) query.set('q', text);
    location.hash = `#/reviewed${query.toString() ? `?${query}` : ''}`;
  });
  return form;
}

/**
 * @param {import('../api-json.ts').ReviewedAnswerJson} item
 * @param {number} defaultSimilarity
 */
function answerCard(item, defaultSimilarity) {
  const threshold = item.min_similarity ?? defaultSimilarity;
  return h(
    'article',
    { class: 'card stack', 'aria-label': `审核答复 ${item.id}` },
    h(
      'p',
      { class: 'meta' },
      item.retired ? badge('已停用', 'wrong') : badge('在用', 'correct'),
      h('span', {}, `已使用 ${item.served} 次`),
      item.last_served ? h('span', {}, `最近 ${formatTime(item.last_served)}`) : null,
      h('span', {}, `相似度 ≥ ${threshold}${item.min_similarity === null ? '(默认)' : ''}`),
      item.citations.length ? h('span', {}, `引用 ${item.citations.length} 条`) : badge('无引用(无相关规定)'),
    ),
    h('p', { class: 'question' }, item.question),
    h('p', { class: 'answer' }, item.answer),
    item.citations.length
      ? h('p', { class: 'small muted' }, item.citations.map((citation) => `《${citation.doc_title}》${citation.clause_label}`).join(';'))
      : null,
    h(
      'p',
      { class: 'small muted' },
      `${item.approved_by} 于 ${formatTime(item.time)} 审核`,
      item.edited ? `;${item.edited.by} 于 ${formatTime(item.edited.time)} 修改` : '',
      item.retired ? `;${item.retired.by} 于 ${formatTime(item.retired.time)} 停用` : '',
      item.source_exchange_id ? [';', h('a', { href: `#/review/${item.source_exchange_id}` }, `来源问答 #${item.source_exchange_id}`)] : '',
    ),
    h('details', {}, h('summary', {}, '修改答复或相似度'), editForm(item, defaultSimilarity)),
    h('details', {}, h('summary', {}, '试一试:这个问题会用到此答复吗?'), matchForm(item)),
    h(
      'div',
      { class: 'actions' },
      item.retired
        ? h(
            'button',
            {
              type: 'button',
              onclick: (/** @type {import('./dom.js').ButtonClick} */ event) =>
                act(event.currentTarget, `reviewed-answers/${item.id}/restore`, '审核答复已重新启用。'),
            },
            '重新启用',
          )
        : h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: (/** @type {import('./dom.js').ButtonClick} */ event) =>
                act(event.currentTarget, `reviewed-answers/${item.id}/retire`, '审核答复已停用,相同问题将重新由系统作答。'),
            },
            '停用',
          ),
    ),
  );
}

/**
 * @param {HTMLButtonElement} button
 * @param {string} path
 * @param {string} message
 */
async function act(button, path, message) {
  button.disabled = true;
  try {
    await api(path, { method: 'POST', body: {} });
    announce(message);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (error) {
    announce(errorMessage(error));
    button.disabled = false;
  }
}

/**
 * @param {import('../api-json.ts').ReviewedAnswerJson} item
 * @param {number} defaultSimilarity
 */
function editForm(item, defaultSimilarity) {
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h(
    'form',
    { class: 'stack' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: `answer-${item.id}` }, '答复内容'),
      h('textarea', { id: `answer-${item.id}`, name: 'answer', rows: 5, required: true }, item.answer),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `similarity-${item.id}` }, '问题相似度下限(0.5–1,留空用默认值)'),
      h('input', {
        id: `similarity-${item.id}`,
        name: 'min_similarity',
        type: 'number',
        min: '0.5',
        max: '1',
        step: '0.05',
        value: item.min_similarity ?? '',
        placeholder: String(defaultSimilarity),
        inputmode: 'decimal',
      }),
      h('p', { class: 'hint' }, '1 表示只有用词相同(不计语序和“的”“吗”等)的问题才使用此答复;越低越宽松。'),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '保存'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const raw = String(data.get('min_similarity') ?? '').trim();
    try {
      await api(`reviewed-answers/${item.id}`, { method: 'POST', body: { answer: data.get('answer'), min_similarity: raw === '' ? null : Number(raw) } });
      announce('审核答复已保存。');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  });
  return form;
}

/** @param {import('../api-json.ts').ReviewedAnswerJson} item */
function matchForm(item) {
  const result = h('p', { role: 'status', class: 'hint' });
  const form = h(
    'form',
    { class: 'actions' },
    h(
      'div',
      { class: 'field grow' },
      h('label', { for: `match-${item.id}` }, '企业可能的问法'),
      h('input', { id: `match-${item.id}`, name: 'q', type: 'text', required: true }),
    ),
    h('button', { type: 'submit' }, '试一试'),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      /** @type {import('../api-json.ts').ReviewedMatchJson} */
      const match = await api(`reviewed-answers/${item.id}/match?q=${encodeURIComponent(formFields(form).get('q') ?? '')}`);
      result.textContent = `相似度 ${match.similarity}(下限 ${match.threshold}):${match.matches ? '会使用此答复' : '不会使用此答复'}`;
    } catch (error) {
      result.textContent = errorMessage(error);
    }
  });
  return form;
}
