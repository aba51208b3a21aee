// @ts-check
import { api, badge, channelLabels, formatTime, h, pager } from './dom.js';
import { clauseHref } from './view-match.js';

/** @typedef {import('../matching-routes.ts').SubscriptionsJson} SubscriptionsJson */

/** @type {Record<SubscriptionsJson['pushes'][number]['status'], [string, string]>} */
const pushStatus = { pending: ['待发送', 'uncertain'], sent: ['已发送', 'correct'], failed: ['发送失败', 'wrong'] };

/**
 * Chats subscribed to new measures (what was kept, since when) and every push sent to them, each list paged.
 * @param {import('./dom.js').Route} route
 */
export async function renderSubscriptions(route) {
  const number = (/** @type {string} */ name) => Math.max(1, Number.parseInt(route.params.get(name) ?? '1', 10) || 1);
  const page = number('page');
  const pushPage = number('push_page');
  /** @type {SubscriptionsJson} */
  const data = await api(`subscriptions?${new URLSearchParams({ page: String(page), push_page: String(pushPage) })}`);
  /** @type {(subscriptions: number, pushes: number) => string} */
  const href = (subscriptions, pushes) => `#/subscriptions?${new URLSearchParams({ page: String(subscriptions), push_page: String(pushes) })}`;
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'subscriptions-title' },
    h('h1', { id: 'subscriptions-title' }, '订阅与推送'),
    h(
      'p',
      { class: 'muted small' },
      '企业在会话中匹配政策后回复“订阅”,即保存该会话的企业情况;新增政策文件中有适用的措施时,向该会话推送一条汇总。企业回复“取消订阅”即删除。',
    ),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'subscribed-title' },
      h('h2', { id: 'subscribed-title' }, '订阅的会话'),
      data.items.length
        ? h(
            'ol',
            { class: 'list' },
            data.items.map((item) => h('li', {}, subscriptionCard(item))),
          )
        : h('p', { class: 'card muted' }, page > 1 ? '这一页没有订阅。' : '还没有会话订阅。'),
      pager({ page, hasMore: data.has_more, href: (target) => href(target, pushPage), label: '订阅分页' }),
    ),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'pushes-title' },
      h('h2', { id: 'pushes-title' }, '推送记录'),
      data.pushes.length
        ? h(
            'ol',
            { class: 'list' },
            data.pushes.map((push) => h('li', {}, pushCard(push))),
          )
        : h('p', { class: 'card muted' }, pushPage > 1 ? '这一页没有推送。' : '还没有推送。加入新的政策文件后,适用于订阅企业的措施会推送到其会话。'),
      pager({ page: pushPage, hasMore: data.pushes_has_more, href: (target) => href(page, target), label: '推送分页' }),
    ),
  );
}

/** @param {SubscriptionsJson['items'][number]} item */
function subscriptionCard(item) {
  return h(
    'article',
    { class: 'card stack', 'aria-label': `订阅 ${item.id}` },
    h(
      'p',
      { class: 'meta' },
      badge(channelLabels[item.channel] ?? item.channel),
      h('span', {}, `会话 ${item.chat_id}`),
      item.user_id ? h('span', {}, `用户 ${item.user_id}`) : null,
      h('span', {}, `自 ${formatTime(item.time)} 起订阅`),
    ),
    h('p', {}, h('strong', {}, '企业情况:'), item.summary),
    item.profile_text ? h('p', { class: 'small muted' }, `企业原话:${item.profile_text}`) : null,
  );
}

/** @param {SubscriptionsJson['pushes'][number]} push */
function pushCard(push) {
  const [label, kind] = pushStatus[push.status] ?? [push.status, ''];
  return h(
    'article',
    { class: 'card stack', 'aria-label': `推送 ${push.id}` },
    h(
      'p',
      { class: 'meta' },
      badge(label, kind),
      h('time', { datetime: push.time }, formatTime(push.time)),
      push.delivered_at ? h('span', {}, `${formatTime(push.delivered_at)} 送达`) : null,
      badge(channelLabels[push.channel] ?? push.channel),
      h('span', {}, `会话 ${push.chat_id}`),
    ),
    push.error ? h('p', { class: 'small error' }, `原因:${push.error}`) : null,
    h('p', {}, h('strong', {}, `推送的措施(${push.measures.length}):`)),
    h(
      'ul',
      {},
      push.measures.map((measure) => h('li', {}, h('a', { href: clauseHref(measure) }, measure.name))),
    ),
    h('details', {}, h('summary', {}, '推送的消息全文'), h('p', { class: 'answer small' }, push.text)),
  );
}
