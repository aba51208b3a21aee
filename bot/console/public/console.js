// @ts-check
// The console page: a hash router over a few views, each rendered from the JSON API.
import { announce, api, byId, currentOfficer, currentRoute, errorMessage, h, roleLabels } from './dom.js';
import { renderLog } from './view-log.js';
import { renderReview } from './view-review.js';
import { renderHandoffs } from './view-handoffs.js';
import { renderReviewed } from './view-reviewed.js';
import { renderCorpus, renderDocument } from './view-corpus.js';
import { renderOverview } from './view-overview.js';
import { renderStatus } from './view-status.js';
import { renderAccount, renderOfficers } from './view-officers.js';
import { renderMatch } from './view-match.js';
import { renderSubscriptions } from './view-subscriptions.js';

/** @type {Record<string, (route: import('./dom.js').Route) => Promise<Node> | Node>} */
const views = {
  log: renderLog,
  review: renderReview,
  handoffs: renderHandoffs,
  reviewed: renderReviewed,
  match: renderMatch,
  subscriptions: renderSubscriptions,
  corpus: (route) => (route.id ? renderDocument(route) : renderCorpus(route)),
  overview: renderOverview,
  status: renderStatus,
  officers: renderOfficers,
  account: renderAccount,
};
// Which nav item a view belongs to.
/** @type {Record<string, string | null>} */
const sections = { review: 'log', account: null };

const main = byId('main');
/** @type {string | null} */
let shownHash = null;

async function show() {
  const route = currentRoute();
  const render = views[route.route] ?? renderLog;
  const section = route.route in sections ? sections[route.route] : views[route.route] ? route.route : 'log';
  for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('.nav a'))) {
    if (link.dataset.route === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const content = await render(route);
    main.replaceChildren(content);
  } catch (error) {
    main.replaceChildren(h('div', { class: 'card' }, h('h1', {}, '出错了'), h('p', { class: 'error' }, errorMessage(error))));
  } finally {
    main.removeAttribute('aria-busy');
  }
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? '控制台'} · 政策问答服务专员控制台`;
  // A new address (another page of the log, other filters) starts at the top; re-rendering after an action stays put.
  if (location.hash !== shownHash) {
    // A link to one clause (a citation of a match or a push) lands on it.
    const focus = main.querySelector('[data-focus]');
    if (focus) focus.scrollIntoView({ block: 'start' });
    else window.scrollTo(0, 0);
  }
  shownHash = location.hash;
  main.focus({ preventScroll: true });
  refreshHandoffCount();
}

export async function refreshHandoffCount() {
  try {
    // A count, not the queue: the badge is on every page load.
    /** @type {import('../handoff-routes.ts').HandoffCountJson} */
    const { open } = await api('handoffs/count');
    const count = byId('handoff-count');
    count.textContent = String(open);
    count.hidden = open === 0;
    count.setAttribute('aria-label', `${open} 条待处理`);
  } catch {
    /* the count is a convenience; the queue page shows errors */
  }
}

byId('sign-out').addEventListener('click', async () => {
  await api('session', { method: 'DELETE' }).catch(() => {});
  location.assign('sign-in');
});

window.addEventListener('hashchange', show);
currentOfficer()
  .then((me) => {
    const name = byId('officer-name');
    name.textContent = `${me.officer}(${roleLabels[me.role] ?? me.role})`;
    byId('nav-officers').hidden = me.role !== 'admin';
  })
  .catch((error) => announce(errorMessage(error)));
show();
