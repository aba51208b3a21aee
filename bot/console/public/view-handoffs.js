import { announce, api, badge, channelLabels, formatTime, h } from './dom.js';

/** Hand-offs waiting for an officer, oldest first; the reply goes back into the same chat. */
export async function renderHandoffs(route) {
  const status = route.params.get('status') === 'answered' ? 'answered' : 'open';
  const { items } = await api(`handoffs?status=${status}`);
  const list = status === 'open' ? [...items] : [...items].reverse();
  return h('section', { 'aria-labelledby': 'handoffs-title' },
    h('div', { class: 'page-head' },
      h('h1', { id: 'handoffs-title' }, status === 'open' ? '转人工 · 待处理' : '转人工 · 已回复'),
      h('nav', { class: 'actions', 'aria-label': '转人工状态' },
        h('a', { href: '#/handoffs', 'aria-current': status === 'open' ? 'page' : null }, '待处理'),
        h('a', { href: '#/handoffs?status=answered', 'aria-current': status === 'answered' ? 'page' : null }, '已回复'),
      ),
    ),
    list.length
      ? h('ol', { class: 'list' }, list.map((item) => h('li', {}, handoffCard(item))))
      : h('p', { class: 'card muted' }, status === 'open' ? '没有待处理的转人工。' : '还没有已回复的转人工。'),
  );
}

function handoffCard(item) {
  const exchange = item.exchange;
  return h('article', { class: 'card stack', 'aria-label': `转人工 ${item.id}` },
    h('p', { class: 'meta' },
      h('time', { datetime: item.time }, formatTime(item.time)),
      exchange ? badge(channelLabels[exchange.channel] ?? exchange.channel) : null,
      exchange ? h('span', {}, `用户 ${exchange.user_id}`) : null,
      exchange ? h('a', { href: `#/review/${exchange.id}` }, `问答 #${exchange.id}`) : null,
    ),
    h('p', { class: 'question' }, item.question),
    item.chat.length ? h('details', {},
      h('summary', {}, `会话记录(${item.chat.length} 条)`),
      h('ol', { class: 'chat' }, item.chat.map((entry) => h('li', {},
        h('p', { class: 'meta' }, formatTime(entry.time)),
        h('p', { class: 'question' }, entry.question),
        h('p', { class: 'answer small' }, entry.answer)))),
    ) : null,
    item.reply
      ? h('div', {}, h('p', { class: 'meta' }, `专员 ${item.reply.replied_by} 于 ${formatTime(item.reply.time)} 回复`),
        h('p', { class: 'answer' }, item.reply.text))
      : replyForm(item),
  );
}

function replyForm(item) {
  const id = `reply-${item.id}`;
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h('form', { class: 'stack' },
    h('div', { class: 'field' },
      h('label', { for: id }, '回复内容'),
      h('textarea', { id, name: 'text', rows: 5, required: true }),
    ),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'save' }),
      '同时保存为审核答复(相同或几乎相同的问题今后直接使用此答复)'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '发送回复'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api(`handoffs/${item.id}/reply`, { method: 'POST', body: { text: data.get('text'), save_as_reviewed: data.get('save') === 'on' } });
      announce('回复已发送到原会话。');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
  return form;
}
