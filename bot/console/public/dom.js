// @ts-check
// Shared helpers for the console page. Every piece of text from the server goes in as a text node, never as HTML.
// Type-checked with the API's types by `npm run typecheck` (bot/console/public/tsconfig.json).

/** What h() takes as children: nodes, text (numbers become text), nothing (skipped), and lists of these. */
/** @typedef {Node | string | number | null | undefined | false | ChildList} Child */
/** @typedef {Child[]} ChildList */
/** Attribute values: `on…` take a listener, `class`, `value` and `checked` set the property, false/null/undefined leave it out. */
/** @typedef {Record<string, unknown>} Attributes */
/** A click on a button, for the `onclick` of h('button', …) (attributes are untyped, so the listener names its event). */
/** @typedef {MouseEvent & { currentTarget: HTMLButtonElement }} ButtonClick */

/**
 * h('p', { class: 'x', onclick: fn }, 'text', child) → element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attributes]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const created = document.createElement(tag);
  // One element with the properties set below; which of them it has depends on the tag.
  const element = /** @type {HTMLElement & { value?: unknown, checked?: boolean }} */ (created);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else if (name === 'class') element.className = String(value);
    else if (name === 'value') element.value = value;
    else if (name === 'checked') element.checked = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return created;
}

/**
 * @param {Element} element
 * @param {ChildList} children
 */
function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * What to tell the officer about a failure: the server's message (api() throws it, in Chinese) or the error's own.
 * @param {unknown} error
 * @returns {string}
 */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A form's text fields, as a query (the console's forms hold no file input: an upload reads its file itself).
 * @param {HTMLFormElement} form
 * @returns {URLSearchParams}
 */
export function formFields(form) {
  const fields = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') fields.append(name, value);
  return fields;
}

/**
 * The page's element with this id. The page's HTML has it, so a missing one is a mistake in the page, said at once
 * rather than as "cannot read properties of null" later.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`页面缺少 #${id}`);
  return element;
}

/**
 * Calls the JSON API; a lost session goes back to sign-in, other failures throw with the server's message. `T` is
 * what the route answers, named by the caller from the server's types (`import('../api-json.ts')`) as the type of
 * the variable it goes into; unnamed, it is `unknown`, so an untyped answer cannot be read unnoticed.
 * @template [T=unknown]
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<T>}
 */
export async function api(path, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(`api/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (cause) {
    // fetch rejects with the browser's own words ("Failed to fetch") when the server cannot be reached.
    throw new Error('无法连接服务器,请检查网络后重试', { cause });
  }
  if (response.status === 401) {
    location.assign('sign-in');
    throw new Error('登录已过期,请重新登录');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error?.message ?? `请求失败(${response.status})`);
  return data;
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
/**
 * Previous / next links of a paged list. `pages` when the total is known ("第 2 / 5 页"), else `hasMore` says
 * whether a next page exists ("第 2 页"); `href(page)` is the address of a page. Nothing for a single page.
 * @param {{ page: number, pages?: number | null, hasMore?: boolean, href: (page: number) => string, label?: string }} options
 */
export function pager({ page, pages = null, hasMore = false, href, label = '分页' }) {
  const hasNext = pages === null ? hasMore : page < pages;
  if (pages === null ? page <= 1 && !hasMore : pages <= 1) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': label },
    page > 1 ? h('a', { href: href(page - 1) }, '上一页') : null,
    h('span', {}, pages === null ? `第 ${page} 页` : `第 ${page} / ${pages} 页`),
    hasNext ? h('a', { href: href(page + 1) }, '下一页') : null,
  );
}

/**
 * Beijing time, like the documents and the enterprises asking.
 * @param {string} iso
 */
export function formatTime(iso) {
  return timeFormat.format(new Date(iso));
}

// The words for the API's values come from the server (bot/console/labels.ts), in a JSON block of index.html.
// Typed as the server builds them; each may be missing (an old cached index.html), so a value shows as itself.
/** @typedef {ReturnType<typeof import('../labels.ts').pageLabels>} PageLabels */
/** @type {Partial<PageLabels>} */
const labels = JSON.parse(document.getElementById('console-labels')?.textContent ?? '{}');
/** @type {Partial<PageLabels['channel']>} */
export const channelLabels = labels.channel ?? {};
/** @type {Partial<PageLabels['mode']>} */
export const modeLabels = labels.mode ?? {};
/** @type {Partial<PageLabels['verdict']>} */
export const verdictLabels = labels.verdict ?? {};
/** @type {Partial<PageLabels['decision']>} */
export const decisionLabels = labels.decision ?? {};
/** @type {Partial<PageLabels['reason']>} */
export const reasonLabels = labels.reason ?? {};
/** @type {Partial<PageLabels['status']>} */
export const statusLabels = labels.status ?? {};
/** @type {Partial<PageLabels['role']>} */
export const roleLabels = labels.role ?? {};
/** @type {Partial<PageLabels['validity']>} */
export const validityLabels = labels.validity ?? {};
/** @type {Partial<PageLabels['state']>} */
export const stateLabels = labels.state ?? {};
/**
 * 牵头单位 / 配合单位 / 文件未列明责任单位, as the server's departmentsText (corpus/department-text.ts) writes them.
 * @type {Partial<PageLabels['departments']>}
 */
export const departmentWords = labels.departments ?? {};
/** The server's sentence ends (corpus/sentences.ts): a quote is split here as the server split the clause. */
const sentenceEnd = new RegExp(`(?<=[${(labels.sentenceEnds ?? '。').replace(/[\\\]^-]/g, '\\$&')}])|\\n`);

/**
 * "12 分钟", "3 小时 5 分钟", "2 天 4 小时": how long someone has waited.
 * @param {number} ms
 */
export function formatDuration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} 小时`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} 天 ${hours % 24} 小时` : `${days} 天`;
}

/** `GET /api/me`: the signed-in officer, their role and when the session ends. */
/** @typedef {import('../api-json.ts').MeJson} MeJson */

/** @type {Promise<MeJson> | undefined} */
let me;
/**
 * The signed-in officer ({ officer, role }), read once per page load.
 * @returns {Promise<MeJson>}
 */
export async function currentOfficer() {
  me ??= api('me');
  return me;
}

/**
 * The decision of an answer as a badge: nothing for a plain answer, a mark for uncertain and not found.
 * @param {import('../../core/index.ts').Decision | null | undefined} decision
 */
export function decisionBadge(decision) {
  if (!decision || decision === 'answered') return null;
  return badge(decisionLabels[decision] ?? decision, decision === 'refused' ? 'refused' : 'uncertain');
}

/**
 * @param {string} text
 * @param {string} [kind] the badge's look (console.css): reviewed, uncertain, refused, valid-…
 */
export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let announceTimer;
/**
 * Says something to screen readers and sighted users alike, then clears it.
 * @param {string} message
 */
export function announce(message) {
  const status = byId('status');
  status.textContent = message;
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    status.textContent = '';
  }, 5000);
}

/**
 * The clause text with the quoted sentence(s) marked; falls back to sentence-by-sentence matching.
 * @param {string} text
 * @param {string | null | undefined} quote
 * @returns {(string | HTMLElement)[]}
 */
export function highlighted(text, quote) {
  const pieces = (quote ?? '')
    .split(sentenceEnd)
    .map((piece) => piece.trim())
    .filter((piece) => piece.length >= 4);
  const wanted = quote && text.includes(quote) ? [quote] : pieces.filter((piece) => text.includes(piece));
  if (wanted.length === 0) return [text];
  /** @type {(string | HTMLElement)[]} */
  const nodes = [];
  let rest = text;
  while (rest) {
    /** @type {{ at: number, piece: string } | null} */
    let best = null;
    for (const piece of wanted) {
      const at = rest.indexOf(piece);
      if (at >= 0 && (best === null || at < best.at)) best = { at, piece };
    }
    if (!best) {
      nodes.push(rest);
      break;
    }
    if (best.at > 0) nodes.push(rest.slice(0, best.at));
    nodes.push(h('mark', {}, best.piece));
    rest = rest.slice(best.at + best.piece.length);
  }
  return nodes;
}

/**
 * What departments() and leadDepartments() read: a citation, a clause of the corpus view, a matched measure.
 * @typedef {{ lead_departments?: string[] | null, support_departments?: string[] | null, department_note?: string | null }} DepartmentFields
 */

/**
 * A citation's lead departments, or why none is named: the server's departmentsText(citation, 'cell').
 * @param {DepartmentFields} citation
 */
export function leadDepartments(citation) {
  const lead = citation.lead_departments ?? [];
  return lead.length ? lead.join('、') : (citation.department_note ?? departmentWords.none);
}

/**
 * Lead and supporting departments as a definition list.
 * @param {DepartmentFields} citation
 */
export function departments(citation) {
  const support = citation.support_departments ?? [];
  return h(
    'dl',
    { class: 'departments' },
    h('dt', {}, departmentWords.lead),
    h('dd', {}, leadDepartments(citation)),
    support.length ? [h('dt', {}, departmentWords.support), h('dd', {}, support.join('、'))] : null,
  );
}

/**
 * A document's or citation's validity as a badge and its note.
 * @param {{ validity_status: import('../../../corpus/index.ts').ValidityStatus, validity_note?: string | null }} item
 */
export function validity(item) {
  return [
    badge(validityLabels[item.validity_status] ?? item.validity_status, `valid-${item.validity_status}`),
    item.validity_note ? h('span', { class: 'small muted' }, ` ${item.validity_note}`) : null,
  ];
}

/** @typedef {import('../../../retrieval/index.ts').Citation} Citation */
/** @typedef {import('../clause-context.ts').ClauseContext} ClauseContext */

/**
 * A citation as a card: document, path, full clause text with the quote marked, departments, validity.
 * @param {Citation} citation
 * @param {ClauseContext | null} [context] the clause as it is today (null: no longer in the corpus; absent: not looked up)
 */
export function citationCard(citation, context) {
  const path = [...(citation.clause_path ?? []), citation.clause_label].join(' › ');
  const correction = context?.clause?.correction;
  return h(
    'article',
    { class: 'card stack' },
    correction ? correctionNote(correction) : null,
    h('h3', {}, citation.doc_title, citation.doc_number ? h('span', { class: 'muted small' }, `(${citation.doc_number})`) : null),
    h('p', { class: 'path' }, path),
    h('div', { class: 'clause-text' }, highlighted(citation.text, citation.quote)),
    departments(citation),
    citation.department_note ? h('p', { class: 'small muted' }, citation.department_note) : null,
    h('p', { class: 'meta' }, validity(citation), citation.period ? h('span', {}, `实施期:${citation.period}`) : null),
    context === undefined ? null : clauseContextDetails(context),
  );
}

/** @param {ClauseContext | null} context */
function clauseContextDetails(context) {
  if (context === null) return h('p', { class: 'small error' }, '当前语料中已找不到此条款,可能已修订或删除。');
  return h(
    'details',
    { class: 'context' },
    h('summary', {}, '查看上下文(前后条款)'),
    context.path.length ? h('p', {}, '所在章节:', context.path.map((part) => `${part.clause_label}${part.title ?? ''}`).join(' › ')) : null,
    context.previous ? h('p', {}, '上一条:', context.previous.text) : null,
    context.next ? h('p', {}, '下一条:', context.next.text) : null,
  );
}

/** @typedef {{ route: string, id: string | undefined, params: URLSearchParams }} Route */

/**
 * Reads a hash like #/log?channel=wecom into { route, id, params }.
 * @returns {Route}
 */
export function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [pathPart, queryPart = ''] = hash.split('?');
  const [route = 'log', id] = pathPart.split('/');
  return { route: route || 'log', id, params: new URLSearchParams(queryPart) };
}

/**
 * "已人工更正:牵头单位 · 王芳 2025-03-03 11:00(原为 市人社局)" — shown wherever a corrected clause is.
 * @param {import('../corpus-view.ts').ClauseCorrectionView} correction
 */
export function correctionNote(correction) {
  const names = { lead_departments: departmentWords.lead, support_departments: departmentWords.support, title: '标题' };
  const parsed = correction.parsed ?? {};
  const before = correction.fields.map((field) => {
    const value = parsed[field];
    const shown = Array.isArray(value) ? (value.length ? value.join('、') : '未列明') : (value ?? '无');
    return `${names[field]}原为“${shown}”`;
  });
  return h(
    'p',
    { class: 'corrected small', 'data-testid': 'correction' },
    badge('已人工更正', 'reviewed'),
    ` ${correction.fields.map((field) => names[field]).join('、')} · ${correction.by} ${formatTime(correction.time)}`,
    h('span', { class: 'muted' }, `(${before.join(';')}${correction.note ? `;说明:${correction.note}` : ''})`),
  );
}
