// @ts-check
import { announce, api, badge, channelLabels, citationCard, decisionBadge, errorMessage, formatTime, h, modeLabels, verdictLabels } from './dom.js';

/** @typedef {import('../api-json.ts').ExchangeJson} ExchangeJson */
/** @typedef {import('../api-json.ts').ReviewJson} ReviewJson */
/** `GET /api/exchanges/:id`: the exchange, its reviews and feedback, each citation with its clause now, the chat before. */
/** @typedef {import('../api-json.ts').ExchangeDetailJson} ExchangeDetail */

/**
 * One exchange beside the clauses it cites, with the verdict form.
 * @param {import('./dom.js').Route} route
 */
export async function renderReview(route) {
  // "#/review" without a number used to ask the server for exchange "undefined".
  if (!route.id) throw new Error('地址中缺少问答编号');
  /** @type {ExchangeDetail} */
  const detail = await api(`exchanges/${encodeURIComponent(route.id)}`);
  const { exchange } = detail;
  // Back to the page of the log this was opened from, with its filters.
  const back = route.params.get('back');
  return h(
    'section',
    { 'aria-labelledby': 'review-title' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'review-title' }, `审核问答 #${exchange.id}`),
      h('a', { href: back ? `#/log?${back}` : '#/log' }, '← 返回记录'),
    ),
    h(
      'div',
      { class: 'review' },
      h(
        'div',
        { class: 'stack' },
        exchangeCard(exchange, detail.chat),
        reviewForm(
          exchange,
          detail.citations.map((item) => item.citation),
        ),
        history(detail.reviews),
      ),
      h(
        'section',
        { class: 'stack', 'aria-labelledby': 'cited-title' },
        h('h2', { id: 'cited-title' }, `${exchange.decision === 'uncertain' ? '向用户展示的相关规定' : '引用条款'}(${detail.citations.length})`),
        detail.citations.length
          ? detail.citations.map((item) => citationCard(item.citation, item.context))
          : h('p', { class: 'card muted' }, '此回答没有引用条款。'),
      ),
    ),
  );
}

/**
 * @param {ExchangeJson} exchange
 * @param {ExchangeJson[]} chat
 */
function exchangeCard(exchange, chat) {
  const earlier = chat.filter((item) => item.id !== exchange.id);
  return h(
    'article',
    { class: 'card stack', 'aria-label': '问答内容' },
    h(
      'p',
      { class: 'meta' },
      h('time', { datetime: exchange.time }, formatTime(exchange.time)),
      badge(channelLabels[exchange.channel] ?? exchange.channel),
      badge(modeLabels[exchange.mode] ?? exchange.mode, exchange.mode === 'reviewed' ? 'reviewed' : ''),
      decisionBadge(exchange.decision),
      h('span', {}, `用户 ${exchange.user_id}`),
      h('span', {}, `耗时 ${exchange.latency_ms} 毫秒`),
    ),
    h('h2', {}, '问题'),
    h('p', { class: 'question' }, exchange.question),
    h('h2', {}, exchange.answered_by ? `专员 ${exchange.answered_by} 的回复` : '回答'),
    h('p', { class: 'answer' }, exchange.answer),
    earlier.length
      ? h(
          'details',
          {},
          h('summary', {}, `同一会话中此前的 ${earlier.length} 条问答`),
          h(
            'ol',
            { class: 'chat' },
            earlier.map((item) =>
              h(
                'li',
                {},
                h('p', { class: 'meta' }, formatTime(item.time)),
                h('p', { class: 'question' }, item.question),
                h('p', { class: 'excerpt' }, item.answer),
              ),
            ),
          ),
        )
      : null,
  );
}

/**
 * @param {ExchangeJson} exchange
 * @param {ExchangeJson['citations']} citations
 */
function reviewForm(exchange, citations) {
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'verdict-title' },
    h('h2', { id: 'verdict-title' }, '审核'),
    h(
      'fieldset',
      {},
      h('legend', {}, '审核结论'),
      h(
        'div',
        { class: 'choices' },
        /** @type {import('../../store/index.ts').Verdict[]} */ (['correct', 'wrong', 'incomplete']).map((verdict) =>
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'radio', name: 'verdict', value: verdict, required: true, checked: exchange.verdict === verdict }),
            verdictLabels[verdict],
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'review-note' }, '审核意见'),
      h('textarea', { id: 'review-note', name: 'note', rows: 3, placeholder: '例如:漏答裁员率条件' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'review-corrected' }, '更正后的答复(选填)'),
      h(
        'p',
        { class: 'hint', id: 'corrected-hint' },
        '填写后,各渠道再有相同或几乎相同的问题,将直接回复此答复并标明“已经政策服务专员审核”。结论为“正确”且不填写时,使用原回答。',
      ),
      h('textarea', { id: 'review-corrected', name: 'corrected', rows: 6, 'aria-describedby': 'corrected-hint' }),
    ),
    citations.length
      ? h(
          'fieldset',
          {},
          h('legend', {}, '答复保留的引用'),
          citations.map((citation) =>
            h(
              'label',
              { class: 'check' },
              h('input', { type: 'checkbox', name: 'keep', value: citation.clause_id, checked: true }),
              `${citation.doc_title} ${citation.clause_label}`,
            ),
          ),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '提交审核'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!data.get('verdict')) {
      status.textContent = '请选择审核结论';
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    try {
      /** @type {import('../api-json.ts').ReviewOutcomeJson} */
      const result = await api(`exchanges/${exchange.id}/reviews`, {
        method: 'POST',
        body: {
          verdict: data.get('verdict'),
          note: data.get('note'),
          corrected_answer: data.get('corrected'),
          keep_clause_ids: citations.length ? data.getAll('keep') : undefined,
        },
      });
      const message = result.reviewed_answer
        ? '审核已保存。相同或几乎相同的问题今后将直接使用此审核答复。'
        : result.retired_answer_id
          ? '审核已保存,原审核答复已停用。'
          : '审核已保存。';
      announce(message);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** @param {ReviewJson[]} reviews */
function history(reviews) {
  if (!reviews.length) return null;
  return h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, '审核历史'),
    h(
      'ol',
      { class: 'chat' },
      reviews.map((review) =>
        h(
          'li',
          {},
          h(
            'p',
            { class: 'meta' },
            badge(verdictLabels[review.verdict] ?? review.verdict, review.verdict),
            review.reviewer,
            h('time', { datetime: review.time }, formatTime(review.time)),
          ),
          review.note ? h('p', {}, review.note) : null,
          review.corrected_answer ? h('p', { class: 'answer small' }, `更正答复:${review.corrected_answer}`) : null,
        ),
      ),
    ),
  );
}
