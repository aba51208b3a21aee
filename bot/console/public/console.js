// The console page: a hash router over a few views, each rendered from the JSON API.
import { api, announce, currentRoute, h } from './dom.js';
import { renderLog } from './view-log.js';
import { renderReview } from './view-review.js';
import { renderHandoffs } from './view-handoffs.js';
import { renderCorpus, renderDocument } from './view-corpus.js';
import { renderOverview } from './view-overview.js';

const views = {
  log: renderLog,
  review: renderReview,
  handoffs: renderHandoffs,
  corpus: (route) => (route.id ? renderDocument(route) : renderCorpus(route)),
  overview: renderOverview,
};
// Which nav item a view belongs to.
const sections = { review: 'log' };

const main = document.getElementById('main');

async function show() {
  const route = currentRoute();
  const render = views[route.route] ?? renderLog;
  const section = sections[route.route] ?? (views[route.route] ? route.route : 'log');
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.route === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const content = await render(route);
    main.replaceChildren(content);
  } catch (error) {
    main.replaceChildren(h('div', { class: 'card' }, h('h1', {}, '出错了'), h('p', { class: 'error' }, error.message)));
  } finally {
    main.removeAttribute('aria-busy');
  }
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? '控制台'} · 政策问答服务专员控制台`;
  main.focus({ preventScroll: true });
  refreshHandoffCount();
}

export async function refreshHandoffCount() {
  try {
    const { items } = await api('handoffs?status=open');
    const count = document.getElementById('handoff-count');
    count.textContent = String(items.length);
    count.hidden = items.length === 0;
    count.setAttribute('aria-label', `${items.length} 条待处理`);
  } catch { /* the count is a convenience; the queue page shows errors */ }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  await api('session', { method: 'DELETE' }).catch(() => {});
  location.assign('sign-in');
});

window.addEventListener('hashchange', show);
api('me').then((me) => { document.getElementById('officer-name').textContent = me.officer; }).catch((error) => announce(error.message));
show();
