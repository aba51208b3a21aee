import { announce, api, badge, citationCard, h, modeLabels, validity } from './dom.js';

/** The documents, a clause search and the ask box (which answers exactly as the chat channels would). */
export async function renderCorpus(route) {
  const { items } = await api('documents');
  const query = route.params.get('q') ?? '';
  return h('div', { class: 'stack' },
    h('h1', {}, '政策文件与试问'),
    askBox(),
    searchBox(query),
    query ? await searchResults(query) : null,
    h('section', { 'aria-labelledby': 'documents-title', class: 'stack' },
      h('h2', { id: 'documents-title' }, `政策文件(${items.length})`),
      h('ol', { class: 'list' }, items.map((document) => h('li', {}, h('article', { class: 'card' },
        h('h3', {}, h('a', { href: `#/corpus/${encodeURIComponent(document.doc_id)}` }, document.doc_title)),
        h('p', { class: 'meta' },
          document.doc_number ? h('span', {}, document.doc_number) : null,
          document.issuer ? h('span', {}, document.issuer) : null,
          h('span', {}, `${document.clause_count} 条`),
          document.period ? h('span', {}, `实施期 ${document.period}`) : null),
        h('p', { class: 'meta' }, validity(document)),
      )))),
    ),
  );
}

function askBox() {
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card stack', 'aria-labelledby': 'ask-title' },
    h('h2', { id: 'ask-title' }, '试问'),
    h('div', { class: 'field' },
      h('label', { for: 'ask-question' }, '企业的问题'),
      h('textarea', { id: 'ask-question', name: 'question', rows: 3, required: true, placeholder: '例如:小微企业的工会经费能返还吗?' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '提问'),
      h('span', { class: 'hint' }, '与企业在各渠道提问得到的回答相同;已审核的答复会直接返回。')),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, '正在检索和作答…'));
    try {
      const { answer, exchange_id: exchangeId } = await api('ask', { method: 'POST', body: { question: new FormData(form).get('question') } });
      result.replaceChildren(answerView(answer, exchangeId));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error' }, error.message));
      announce(error.message);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const reviewedMark = '【已经政策服务专员审核】';

/**
 * The answer as the asker gets it, drawn from its parts (the chat channels render the same parts), then each
 * source shown once, as a card: the plain-text answer, which lists the sources too, is not repeated here.
 */
function answerView(answer, exchangeId) {
  const reviewed = answer.mode === 'reviewed';
  const parts = (answer.parts ?? []).filter((part) => !(reviewed && part.kind === 'notice' && part.text === reviewedMark));
  const sourcesTitle = answer.decision === 'uncertain' ? '相关规定' : '出处';
  return h('section', { class: 'stack', 'aria-label': '回答', 'data-testid': 'answer' },
    h('p', { class: 'meta' },
      reviewed ? h('span', { class: 'reviewed-banner' }, '✓ 已经政策服务专员审核') : badge(modeLabels[answer.mode] ?? answer.mode),
      answer.refused ? badge('拒答', 'refused') : null,
      h('a', { href: `#/review/${exchangeId}` }, `在记录中查看并审核 #${exchangeId}`)),
    h('div', { class: 'answer stack' }, parts.map(answerPart)),
    answer.citations.length ? h('h3', {}, sourcesTitle) : null,
    answer.citations.length ? h('ol', { class: 'sources stack' }, answer.citations.map((citation) => h('li', {}, citationCard(citation)))) : null,
  );
}

/** One part of an answer, in the console's own form (see bot/answer.ts for the kinds). */
function answerPart(part) {
  switch (part.kind) {
    case 'notice': return h('p', {}, h('strong', {}, part.text));
    case 'quote': return h('div', {}, h('p', {}, `${part.intro}：`), h('blockquote', {}, part.text));
    case 'fact': return h('p', {}, `${part.label}：${part.text}`);
    case 'warning': return h('p', { class: 'small' }, `⚠️ ${part.text}`);
    case 'heading': return h('h3', {}, part.text);
    case 'steps': return h('div', {}, h('p', {}, part.title), h('ol', {}, part.items.map((item) => h('li', {}, item))));
    default: return h('p', {}, part.text);
  }
}

function searchBox(query) {
  const form = h('form', { class: 'card actions', role: 'search', 'aria-label': '检索条款' },
    h('div', { class: 'field grow' },
      h('label', { for: 'corpus-search' }, '检索条款'),
      h('input', { id: 'corpus-search', name: 'q', type: 'search', value: query, placeholder: '关键词,如:稳岗返还' })),
    h('button', { type: 'submit' }, '检索'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new FormData(form).get('q');
    location.hash = q ? `#/corpus?q=${encodeURIComponent(q)}` : '#/corpus';
  });
  return form;
}

async function searchResults(query) {
  const { items } = await api(`search?q=${encodeURIComponent(query)}`);
  return h('section', { class: 'stack', 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, `“${query}”的检索结果(${items.length})`),
    items.length ? items.map((citation) => citationCard(citation)) : h('p', { class: 'muted' }, '没有匹配的条款。'),
  );
}

/** One document's clause tree with the departments of each clause. */
export async function renderDocument(route) {
  const document = await api(`documents/${encodeURIComponent(route.id)}`);
  return h('article', { class: 'stack', 'aria-labelledby': 'document-title' },
    h('a', { href: '#/corpus' }, '← 全部文件'),
    h('h1', { id: 'document-title' }, document.doc_title),
    h('p', { class: 'meta' },
      document.doc_number ? h('span', {}, document.doc_number) : null,
      document.issuer ? h('span', {}, document.issuer) : null,
      document.period ? h('span', {}, `实施期 ${document.period}`) : null),
    h('p', { class: 'meta' }, validity(document)),
    document.department_note ? h('p', { class: 'small muted' }, document.department_note) : null,
    document.contact ? h('p', { class: 'small' }, `联系方式:${document.contact}`) : null,
    h('ol', { class: 'tree', 'aria-label': '条款' }, document.clauses.map(clauseItem)),
  );
}

function clauseItem(clause) {
  const lead = clause.lead_departments;
  const support = clause.support_departments;
  // A heading node may carry its words only in the label; a clause's text usually starts with its label.
  const text = clause.text || [clause.clause_label, clause.title].filter(Boolean).join('');
  const labelled = text.startsWith(clause.clause_label);
  return h('li', { id: `clause-${clause.clause_id}` },
    h('p', { class: clause.children.length ? 'answer clause-heading' : 'answer' },
      labelled ? null : h('span', { class: 'clause-label' }, clause.clause_label), text),
    lead.length || support.length ? h('p', { class: 'small muted' },
      lead.length ? `牵头:${lead.join('、')}` : '', lead.length && support.length ? ';' : '',
      support.length ? `配合:${support.join('、')}` : '') : null,
    clause.children.length ? h('ol', {}, clause.children.map(clauseItem)) : null,
  );
}
