// @ts-check
import {
  announce,
  api,
  badge,
  channelLabels,
  currentOfficer,
  departmentWords,
  errorMessage,
  formatDuration,
  formatTime,
  h,
  pager,
  reasonLabels,
  statusLabels,
} from './dom.js';

/** @typedef {import('../handoff-routes.ts').TicketJson} TicketJson */
/** `GET /api/handoffs`: one page of tickets, the counts per status, and how many the tab holds (null when not counted). */
/** @typedef {import('../handoff-routes.ts').TicketPageJson} TicketPage */

const tabs = [
  ['open', '待处理', ''],
  ['mine', '我接手的', 'status=open&mine=1'],
  ['resolved', '已处理', 'status=resolved'],
];
const closeReasons = ['已电话联系企业答复', '已线下办理', '与其他转人工重复'];
const dismissReasons = ['非政策问题(问候、测试等)', '无意义或恶意内容', '企业已自行解决'];

/**
 * Tickets waiting for an officer, oldest first; one per chat and question. Reply, take, close or dismiss.
 * @param {import('./dom.js').Route} route
 */
export async function renderHandoffs(route) {
  const tab = tabs.find(([key]) => key === route.params.get('tab')) ?? tabs[0];
  const me = await currentOfficer();
  const page = Math.max(1, Number.parseInt(route.params.get('page') ?? '1', 10) || 1);
  const query = new URLSearchParams(tab[2] || 'status=open');
  query.set('page', String(page));
  /** @type {TicketPage} */
  const { items, counts, total, page_size: pageSize } = await api(`handoffs?${query}`);
  const pages = total === null ? 1 : Math.max(1, Math.ceil(total / pageSize));
  return h(
    'section',
    { 'aria-labelledby': 'handoffs-title' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'handoffs-title' }, `转人工 · ${tab[1]}`),
      h(
        'nav',
        { class: 'actions tabs', 'aria-label': '转人工状态' },
        tabs.map(([key, label]) =>
          h(
            'a',
            {
              href: key === 'open' ? '#/handoffs' : `#/handoffs?tab=${key}`,
              'aria-current': key === tab[0] ? 'page' : null,
            },
            label,
            key === 'open' ? ` (${counts.open})` : '',
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted small' },
      `待处理 ${counts.open} · 已回复 ${counts.answered} · 已关闭 ${counts.closed} · 已忽略 ${counts.dismissed}。同一会话同一问题只有一条;用户再次要求转人工会并入原记录。`,
    ),
    items.length
      ? h(
          'ol',
          { class: 'list' },
          items.map((item) => h('li', {}, handoffCard(item, me.officer))),
        )
      : h('p', { class: 'card muted' }, tab[0] === 'resolved' ? '还没有已处理的转人工。' : '没有待处理的转人工。'),
    // One page at a time, however many tickets wait.
    pager({
      page,
      pages,
      href: (target) => {
        const address = new URLSearchParams(tab[0] === 'open' ? {} : { tab: tab[0] });
        address.set('page', String(target));
        return `#/handoffs?${address}`;
      },
    }),
  );
}

/**
 * @param {TicketJson} item
 * @param {string} officer
 */
function handoffCard(item, officer) {
  const exchange = item.exchange;
  const open = item.status === 'open';
  return h(
    'article',
    { class: `card stack handoff${open && item.waited_ms > 4 * 3_600_000 ? ' overdue' : ''}`, 'aria-label': `转人工 ${item.id}` },
    h(
      'p',
      { class: 'meta' },
      badge(reasonLabels[item.reason] ?? item.reason, item.reason === 'requested' ? 'reviewed' : item.reason === 'refused' ? 'refused' : 'uncertain'),
      item.reason !== 'requested' && item.requested_at ? badge('用户已要求转人工', 'reviewed') : null,
      open ? h('strong', { class: 'wait' }, `已等待 ${formatDuration(item.waited_ms)}`) : badge(statusLabels[item.status] ?? item.status, item.status),
      h('time', { datetime: item.time }, formatTime(item.time)),
      badge(channelLabels[item.channel] ?? item.channel),
      exchange ? h('span', {}, `用户 ${exchange.user_id}`) : null,
      item.asks > 1 ? h('span', {}, `提出 ${item.asks} 次`) : null,
      exchange ? h('a', { href: `#/review/${exchange.id}` }, `问答 #${exchange.id}`) : null,
    ),
    h('p', { class: 'question' }, item.question),
    item.assigned
      ? h(
          'p',
          { class: 'small' },
          item.assigned.officer === officer ? '由我处理' : `由 ${item.assigned.officer} 处理`,
          h('span', { class: 'muted' }, `(${formatTime(item.assigned.time)} 接手)`),
        )
      : null,
    item.citations.length
      ? h(
          'details',
          { open: open ? true : null },
          h('summary', {}, `最接近的条款(${item.citations.length})`),
          h(
            'ul',
            { class: 'closest' },
            item.citations.map((citation) =>
              h(
                'li',
                {},
                h('span', {}, `《${citation.doc_title}》${citation.clause_label}`),
                citation.lead_departments.length ? h('span', { class: 'muted' }, ` ${departmentWords.lead}:${citation.lead_departments.join('、')}`) : null,
                h('p', { class: 'small muted' }, citation.quote || citation.text),
              ),
            ),
          ),
        )
      : null,
    item.chat.length
      ? h(
          'details',
          {},
          h('summary', {}, `会话记录(${item.chat.length} 条)`),
          h(
            'ol',
            { class: 'chat' },
            item.chat.map((entry) =>
              h(
                'li',
                {},
                h('p', { class: 'meta' }, formatTime(entry.time)),
                h('p', { class: 'question' }, entry.question),
                h('p', { class: 'answer small' }, entry.answer),
              ),
            ),
          ),
        )
      : null,
    item.reply
      ? h(
          'div',
          {},
          h('p', { class: 'meta' }, `专员 ${item.reply.replied_by} 于 ${formatTime(item.reply.time)} 回复,等待 ${formatDuration(item.waited_ms)}`),
          h('p', { class: 'answer' }, item.reply.text),
        )
      : null,
    item.resolution
      ? h(
          'p',
          { class: 'small' },
          `${item.resolution.by} 于 ${formatTime(item.resolution.time)} ${statusLabels[item.status]}:${item.resolution.note}`,
          h('span', { class: 'muted' }, `(等待 ${formatDuration(item.waited_ms)})`),
        )
      : null,
    open
      ? [
          item.assigned?.officer === officer
            ? null
            : h(
                'div',
                { class: 'actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: (/** @type {import('./dom.js').ButtonClick} */ event) =>
                      act(event.currentTarget, `handoffs/${item.id}/assign`, {}, '已接手,此转人工由您处理。'),
                  },
                  item.assigned ? '改由我处理' : '由我处理',
                ),
              ),
          replyForm(item),
          resolveForm(item),
        ]
      : null,
  );
}

/**
 * @param {HTMLButtonElement} button
 * @param {string} path
 * @param {unknown} body
 * @param {string} message
 */
async function act(button, path, body, message) {
  button.disabled = true;
  try {
    await api(path, { method: 'POST', body });
    announce(message);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (error) {
    announce(errorMessage(error));
    button.disabled = false;
  }
}

/** @param {TicketJson} item */
function replyForm(item) {
  const id = `reply-${item.id}`;
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h(
    'form',
    { class: 'stack' },
    h('div', { class: 'field' }, h('label', { for: id }, '回复内容'), h('textarea', { id, name: 'text', rows: 5, required: true })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'save' }), '同时保存为审核答复(相同或几乎相同的问题今后直接使用此答复)'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '发送回复'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
    button.disabled = true;
    try {
      await api(`handoffs/${item.id}/reply`, { method: 'POST', body: { text: data.get('text'), save_as_reviewed: data.get('save') === 'on' } });
      announce('回复已发送到原会话。');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
      button.disabled = false;
    }
  });
  return form;
}

/** Close (handled another way) or dismiss (nothing to do), always with a reason the record keeps. */
/** @param {TicketJson} item */
function resolveForm(item) {
  const id = `resolve-${item.id}`;
  const status = h('p', { class: 'hint', role: 'status' });
  const note = h('input', { id: `${id}-note`, name: 'note', type: 'text', list: `${id}-reasons`, required: true, placeholder: '选择或填写原因' });
  const form = h(
    'form',
    { class: 'resolve' },
    h(
      'details',
      {},
      h('summary', {}, '不在会话中回复:关闭或忽略'),
      h(
        'div',
        { class: 'stack' },
        h(
          'fieldset',
          {},
          h('legend', {}, '处理方式'),
          h(
            'div',
            { class: 'choices' },
            h('label', { class: 'check' }, h('input', { type: 'radio', name: 'status', value: 'closed', checked: true }), '关闭(已通过其他方式处理)'),
            h('label', { class: 'check' }, h('input', { type: 'radio', name: 'status', value: 'dismissed' }), '忽略(无需处理)'),
          ),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: `${id}-note` }, '原因'),
          note,
          h(
            'datalist',
            { id: `${id}-reasons` },
            [...closeReasons, ...dismissReasons].map((reason) => h('option', { value: reason })),
          ),
        ),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, '确定'), status),
      ),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    try {
      await api(`handoffs/${item.id}/resolve`, { method: 'POST', body: { status: data.get('status'), note: data.get('note') } });
      announce(data.get('status') === 'closed' ? '转人工已关闭。' : '转人工已忽略。');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
      button.disabled = false;
    }
  });
  return form;
}
