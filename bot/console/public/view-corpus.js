// @ts-check
import {
  announce,
  api,
  badge,
  citationCard,
  correctionNote,
  currentOfficer,
  decisionBadge,
  errorMessage,
  formatTime,
  formFields,
  h,
  modeLabels,
  validity,
} from './dom.js';

/** @typedef {import('../corpus-view.ts').DocumentSummary} DocumentSummary */
/** @typedef {import('../corpus-view.ts').DocumentDetail} DocumentDetail */
/** @typedef {import('../corpus-view.ts').ClauseView} ClauseView */
/** @typedef {import('../conditions-json.ts').ConditionsView} ConditionsView */
/** @typedef {import('../matching-routes.ts').MatchChoicesJson} MatchChoicesJson */
/** @typedef {import('../../../retrieval/index.ts').Citation} Citation */
/** @typedef {import('../../core/index.ts').Answer} Answer */
/**
 * What each clause of a document's tree is drawn with: the document, whether the officer may correct, the matcher's
 * choices (null: the server does not match policies) and the clause to mark (`?clause=`).
 * @typedef {{ docId: string, admin: boolean, choices: MatchChoicesJson | null, target: string | null }} ClauseOptions
 */

/**
 * The documents, a clause search, the ask box (which answers exactly as the chat channels would) and, for admins, upload.
 * @param {import('./dom.js').Route} route
 */
export async function renderCorpus(route) {
  /** @type {Promise<import('../api-json.ts').DocumentListJson>} */
  const documents = api('documents');
  const [{ items }, me] = await Promise.all([documents, currentOfficer()]);
  const query = route.params.get('q') ?? '';
  return h(
    'div',
    { class: 'stack' },
    h('h1', {}, '政策文件与试问'),
    askBox(),
    searchBox(query),
    query ? await searchResults(query) : null,
    me.role === 'admin' ? uploadForm() : null,
    h(
      'section',
      { 'aria-labelledby': 'documents-title', class: 'stack' },
      h('h2', { id: 'documents-title' }, `政策文件(${items.length})`),
      h(
        'ol',
        { class: 'list' },
        items.map((document) =>
          h(
            'li',
            {},
            h(
              'article',
              { class: 'card' },
              h('h3', {}, h('a', { href: `#/corpus/${encodeURIComponent(document.doc_id)}` }, document.doc_title)),
              h(
                'p',
                { class: 'meta' },
                h('span', {}, document.doc_id),
                document.place ? h('span', {}, document.place) : null,
                document.doc_number ? h('span', {}, document.doc_number) : null,
                document.issuer ? h('span', {}, document.issuer) : null,
                h('span', {}, `${document.clause_count} 条`),
                document.period ? h('span', {}, `实施期 ${document.period}`) : null,
              ),
              h(
                'p',
                { class: 'meta' },
                validity(document),
                document.warnings.length ? badge(`解析提示 ${document.warnings.length} 条`, 'incomplete') : null,
                document.corrections ? badge(`人工更正 ${document.corrections} 条`, 'reviewed') : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Admins add a document here the way `policybot corpus add` does; a refused file changes nothing. */
function uploadForm() {
  const result = h('div', { 'aria-live': 'polite' });
  /** @type {(name: string, label: string, placeholder: string) => HTMLDivElement} */
  const field = (name, label, placeholder) =>
    h('div', { class: 'field' }, h('label', { for: `upload-${name}` }, label), h('input', { id: `upload-${name}`, name, type: 'text', placeholder }));
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, '加入政策文件'),
    h(
      'p',
      { class: 'hint' },
      '支持 .txt、.html、.docx、.pdf(文字版或扫描件)和图片(.png、.jpg),与命令 policybot corpus add 的检查相同。文件须有标题和编号的条款;无法读取、重复或没有编号的文件会被拒绝,文件库不作任何改动。加入后立即可检索和问答。',
    ),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, '文件'), h('input', { id: 'upload-file', name: 'file', type: 'file', required: true })),
    h(
      'details',
      {},
      h('summary', {}, '文件中没有写明时补充(选填)'),
      h(
        'div',
        { class: 'filters' },
        field('title', '标题', '文件没有标题行时填写'),
        field('doc_number', '文号', '如:清府办〔2021〕34号'),
        field('issuer', '发文单位', ''),
        field('region', '地区', '如:广东省清远市'),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '上传并加入')),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || !file.name) return;
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, '正在读取和解析…'));
    try {
      /** @type {Awaited<ReturnType<import('../corpus-admin.ts').CorpusAdmin['add']>>} */
      const added = await api('documents', {
        method: 'POST',
        body: {
          filename: file.name,
          content_base64: await base64(file),
          title: data.get('title'),
          doc_number: data.get('doc_number'),
          issuer: data.get('issuer'),
          region: data.get('region'),
        },
      });
      result.replaceChildren(
        h(
          'div',
          { class: 'stack', 'data-testid': 'upload-result' },
          h('p', {}, badge('已加入', 'correct'), ' ', h('a', { href: `#/corpus/${encodeURIComponent(added.document.doc_id)}` }, added.document.doc_title)),
          h(
            'ul',
            { class: 'small' },
            added.report.map((line) => h('li', {}, line)),
          ),
          added.document.warnings.length
            ? h(
                'ul',
                { class: 'small warnings' },
                added.document.warnings.map((line) => h('li', {}, `⚠ ${line}`)),
              )
            : null,
        ),
      );
      announce('文件已加入,可以检索和问答。');
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorMessage(error)));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/**
 * @param {File} file
 * @returns {Promise<string>}
 */
function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('无法读取所选文件'));
    reader.readAsDataURL(file);
  });
}

function askBox() {
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'ask-title' },
    h('h2', { id: 'ask-title' }, '试问'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'ask-question' }, '企业的问题'),
      h('textarea', { id: 'ask-question', name: 'question', rows: 3, required: true, placeholder: '例如:小微企业的工会经费能返还吗?' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, '提问'),
      h('span', { class: 'hint' }, '与企业在各渠道提问得到的回答相同;已审核的答复会直接返回。'),
    ),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, '正在检索和作答…'));
    try {
      /** @type {import('../api-json.ts').AskJson} */
      const { answer, exchange_id: exchangeId } = await api('ask', { method: 'POST', body: { question: new FormData(form).get('question') } });
      result.replaceChildren(answerView(answer, exchangeId));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error' }, errorMessage(error)));
      announce(errorMessage(error));
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
/**
 * @param {Answer} answer
 * @param {number} exchangeId
 */
function answerView(answer, exchangeId) {
  const reviewed = answer.mode === 'reviewed';
  const parts = (answer.parts ?? []).filter((part) => !(reviewed && part.kind === 'notice' && part.text === reviewedMark));
  const sourcesTitle = answer.decision === 'uncertain' ? '相关规定' : '出处';
  return h(
    'section',
    { class: 'stack', 'aria-label': '回答', 'data-testid': 'answer' },
    h(
      'p',
      { class: 'meta' },
      reviewed ? h('span', { class: 'reviewed-banner' }, '✓ 已经政策服务专员审核') : badge(modeLabels[answer.mode] ?? answer.mode),
      decisionBadge(answer.decision),
      h('a', { href: `#/review/${exchangeId}` }, `在记录中查看并审核 #${exchangeId}`),
    ),
    h('div', { class: 'answer stack' }, parts.map(answerPart)),
    answer.citations.length ? h('h3', {}, sourcesTitle) : null,
    answer.citations.length
      ? h(
          'ol',
          { class: 'sources stack' },
          answer.citations.map((citation) => h('li', {}, citationCard(citation))),
        )
      : null,
  );
}

/** One part of an answer, in the console's own form (see bot/answer.ts for the kinds). */
/** @param {import('../../core/index.ts').AnswerPart} part */
function answerPart(part) {
  switch (part.kind) {
    case 'notice':
      return h('p', {}, h('strong', {}, part.text));
    case 'quote':
      return h('div', {}, h('p', {}, `${part.intro}：`), h('blockquote', {}, part.text));
    case 'fact':
      return h('p', {}, `${part.label}：${part.text}`);
    case 'warning':
      return h('p', { class: 'small' }, `⚠️ ${part.text}`);
    case 'heading':
      return h('h3', {}, part.text);
    case 'steps':
      return h(
        'div',
        {},
        h('p', {}, part.title),
        h(
          'ol',
          {},
          part.items.map((item) => h('li', {}, item)),
        ),
      );
    default:
      return h('p', {}, part.text);
  }
}

/** @param {string} query */
function searchBox(query) {
  const form = h(
    'form',
    { class: 'card actions', role: 'search', 'aria-label': '检索条款' },
    h(
      'div',
      { class: 'field grow' },
      h('label', { for: 'corpus-search' }, '检索条款'),
      h('input', { id: 'corpus-search', name: 'q', type: 'search', value: query, placeholder: '关键词,如:稳岗返还' }),
    ),
    h('button', { type: 'submit' }, '检索'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = formFields(form).get('q');
    location.hash = q ? `#/corpus?q=${encodeURIComponent(q)}` : '#/corpus';
  });
  return form;
}

/** @param {string} query */
async function searchResults(query) {
  /** @type {import('../api-json.ts').SearchJson} */
  const { items } = await api(`search?q=${encodeURIComponent(query)}`);
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, `“${query}”的检索结果(${items.length})`),
    items.length ? items.map((citation) => citationCard(citation)) : h('p', { class: 'muted' }, '没有匹配的条款。'),
  );
}

/**
 * One document's clause tree with the departments of each clause (admins correct them in place) and, when the
 * server matches policies, each measure's conditions (officers correct them in place). `?clause=` marks one clause.
 * @param {import('./dom.js').Route} route
 */
export async function renderDocument(route) {
  /** @type {Promise<DocumentDetail>} */
  const reading = api(`documents/${encodeURIComponent(route.id ?? '')}`);
  const [document, me] = await Promise.all([reading, currentOfficer()]);
  const admin = me.role === 'admin';
  /** @type {(clauses: ClauseView[]) => boolean} */
  const hasConditions = (clauses) => clauses.some((clause) => clause.conditions || hasConditions(clause.children));
  // Conditions come only from a server that matches policies; their edit form needs its list of kinds.
  /** @type {MatchChoicesJson | null} */
  const choices = hasConditions(document.clauses) ? await api('match/choices') : null;
  /** @type {ClauseOptions} */
  const options = { docId: document.doc_id, admin, choices, target: route.params.get('clause') };
  return h(
    'article',
    { class: 'stack', 'aria-labelledby': 'document-title' },
    h('a', { href: '#/corpus' }, '← 全部文件'),
    h('h1', { id: 'document-title' }, document.doc_title),
    h(
      'p',
      { class: 'meta' },
      document.doc_number ? h('span', {}, document.doc_number) : null,
      document.issuer ? h('span', {}, document.issuer) : null,
      document.period ? h('span', {}, `实施期 ${document.period}`) : null,
    ),
    h('p', { class: 'meta' }, validity(document)),
    document.department_note ? h('p', { class: 'small muted' }, document.department_note) : null,
    document.contact ? h('p', { class: 'small' }, `联系方式:${document.contact}`) : null,
    document.source ? h('p', { class: 'small muted' }, `来源文件:${document.source}`) : null,
    document.warnings.length || document.missing_attachments.length
      ? h(
          'section',
          { class: 'card warnings', 'aria-labelledby': 'warnings-title' },
          h('h2', { id: 'warnings-title' }, `解析提示(${document.warnings.length})`),
          h('p', { class: 'hint' }, '解析时没有把握的地方,请对照原文核对;责任单位或标题读错的条款可以人工更正。'),
          h(
            'ul',
            {},
            document.warnings.map((warning) => h('li', {}, warning)),
          ),
        )
      : null,
    h(
      'ol',
      { class: 'tree', 'aria-label': '条款' },
      document.clauses.map((clause) => clauseItem(clause, options)),
    ),
  );
}

/**
 * @param {ClauseView} clause
 * @param {ClauseOptions} options
 * @returns {HTMLLIElement}
 */
function clauseItem(clause, options) {
  const { docId, admin } = options;
  const lead = clause.lead_departments;
  const support = clause.support_departments;
  // A heading node may carry its words only in the label; a clause's text usually starts with its label.
  const text = clause.text || [clause.clause_label, clause.title].filter(Boolean).join('');
  const labelled = text.startsWith(clause.clause_label);
  const target = options.target === clause.clause_id;
  return h(
    'li',
    { id: `clause-${clause.clause_id}`, class: target ? 'target' : null, 'data-focus': target ? '' : null },
    h(
      'p',
      { class: clause.children.length ? 'answer clause-heading' : 'answer' },
      labelled ? null : h('span', { class: 'clause-label' }, clause.clause_label),
      text,
    ),
    lead.length || support.length
      ? h(
          'p',
          { class: 'small muted' },
          lead.length ? `牵头:${lead.join('、')}` : '',
          lead.length && support.length ? ';' : '',
          support.length ? `配合:${support.join('、')}` : '',
        )
      : null,
    clause.correction ? correctionNote(clause.correction) : null,
    // Heading nodes made from the path have no text of their own and cannot be corrected here.
    admin && clause.text && !clause.children.length ? correctionForm(clause, docId) : null,
    clause.conditions ? conditionsBox(clause, clause.conditions, options.choices, target) : null,
    clause.children.length
      ? h(
          'ol',
          {},
          clause.children.map((child) => clauseItem(child, options)),
        )
      : null,
  );
}

/** @param {FormDataEntryValue | null} text */
const splitNames = (text) =>
  String(text ?? '')
    .split(/[、，,；;\n]+/)
    .map((name) => name.trim())
    .filter(Boolean);

/** The officer's correction of what the parser read; kept beside the published text, which stays as published. */
/**
 * @param {ClauseView} clause
 * @param {string} docId
 */
function correctionForm(clause, docId) {
  const id = `correct-${clause.clause_id}`;
  const status = h('p', { class: 'hint', role: 'status' });
  /** @type {(name: string, label: string, value: string, hint?: string) => HTMLDivElement} */
  const field = (name, label, value, hint) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-${name}` }, label),
      h('input', { id: `${id}-${name}`, name, type: 'text', value }),
      hint ? h('p', { class: 'hint' }, hint) : null,
    );
  const form = h(
    'form',
    { class: 'stack' },
    field('lead', '牵头单位', clause.lead_departments.join('、'), '多个单位用顿号“、”分隔'),
    field('support', '配合单位', clause.support_departments.join('、')),
    field('title', '标题', clause.title ?? ''),
    field('note', '更正说明', '', '例如:原文括注在下一段'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '保存更正'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
    button.disabled = true;
    try {
      await api(`documents/${encodeURIComponent(docId)}/corrections`, {
        method: 'POST',
        body: {
          clause_id: clause.clause_id,
          lead_departments: splitNames(data.get('lead')),
          support_departments: splitNames(data.get('support')),
          title: String(data.get('title') ?? '').trim() || null,
          note: data.get('note'),
        },
      });
      announce('更正已保存,回答和检索立即使用更正后的内容。');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
      button.disabled = false;
    }
  });
  return h('details', { class: 'correct' }, h('summary', {}, '更正责任单位或标题'), form);
}

/**
 * What the rules read from the measure — who it is for, thresholds, 首次, what it gives, each with its sentence —
 * and what they could not read; an officer corrects it here (kept by clause id, so it survives re-parsing).
 */
/**
 * @param {ClauseView} clause
 * @param {ConditionsView} view the clause's conditions
 * @param {MatchChoicesJson | null} choices
 * @param {boolean} open
 */
function conditionsBox(clause, view, choices, open) {
  const corrected = view.corrected_by;
  /** @type {(label: string, items: { text: string, source: string }[]) => HTMLElement[] | null} */
  const row = (label, items) =>
    items.length
      ? [
          h('dt', {}, label),
          h(
            'dd',
            {},
            h(
              'ul',
              { class: 'sourced' },
              items.map((item) => h('li', {}, h('span', {}, item.text), sourceOf(item.source))),
            ),
          ),
        ]
      : null;
  const summary = view.offered
    ? [
        view.who.length ? `面向:${view.who.map((item) => item.text).join('、')}` : '面向:未限定企业类型',
        view.thresholds.length ? `门槛 ${view.thresholds.length} 项` : null,
        view.first_time.length ? '首次/新认定' : null,
        `给予 ${view.gives.length} 项`,
      ]
        .filter(Boolean)
        .join(' · ')
    : '不直接给予企业支持';
  return h(
    'details',
    { class: 'conditions', open: open ? true : null, 'data-testid': 'conditions' },
    h(
      'summary',
      {},
      '适用条件:',
      summary,
      view.unread.length ? [' ', badge(`${view.unread.length} 处未能读出`, 'incomplete')] : null,
      corrected ? [' ', badge('已人工核定', 'reviewed')] : null,
      corrected?.stale ? [' ', badge('原文已变更,请复核', 'wrong')] : null,
    ),
    corrected
      ? h(
          'p',
          { class: 'corrected small' },
          `${corrected.officer} 于 ${formatTime(corrected.time)} 核定`,
          corrected.note ? `;说明:${corrected.note}` : '',
          corrected.stale ? h('strong', {}, ';核定后条款原文已变更,请对照原文复核后重新保存') : null,
        )
      : null,
    view.offered ? null : h('p', { class: 'small muted' }, '规则判断此条是政府自身的工作(领导机制、考核、目标等),不直接给予企业支持,匹配时不列出。'),
    h(
      'dl',
      { class: 'facts conditions-list' },
      row('面向', view.who),
      row('门槛', view.thresholds),
      row('首次/新认定', view.first_time),
      row('年限', view.within_years),
      row('地点', view.places),
      row('期限', view.periods),
      row('给予', view.gives),
      view.unread.length
        ? [
            h('dt', {}, '未能读出'),
            h(
              'dd',
              {},
              h(
                'ul',
                { class: 'sourced' },
                view.unread.map((item) =>
                  h('li', { class: 'unread' }, badge('未能读出', 'incomplete'), ' ', h('span', {}, `${item.text}(${item.reason})`), sourceOf(item.source)),
                ),
              ),
            ),
          ]
        : null,
    ),
    choices ? conditionsForm(clause, view, choices) : null,
  );
}

/** The sentence a condition was read from, quoted; where it came from otherwise (政策服务专员核定, 文件发文地区) as a note. */
/** @param {string | null | undefined} source */
function sourceOf(source) {
  if (!source) return null;
  return /[,，。;；]/.test(source) || source.length > 12 ? h('q', { class: 'source small muted' }, source) : h('span', { class: 'small muted' }, `(${source})`);
}

/** The correction form, filled with what is shown now; 恢复解析结果 drops the correction. */
/**
 * @param {ClauseView} clause
 * @param {ConditionsView} view the clause's conditions
 * @param {MatchChoicesJson} choices
 */
function conditionsForm(clause, view, choices) {
  const id = `conditions-${clause.clause_id}`;
  const status = h('p', { class: 'hint', role: 'status' });
  const shown = new Set(view.who.map((item) => item.text));
  const corrected = view.corrected_by;
  // What the officer wrote is kept as written; what the rules read stays theirs unless the officer writes it anew.
  const givesByOfficer = corrected ? view.gives.map((item) => item.text).join(';') : '';
  const form = h(
    'form',
    { class: 'stack', 'aria-label': '更正适用条件' },
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'offered', checked: view.offered }),
      '此条给予企业支持(不勾选:政府自身工作,匹配时不列出)',
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, '面向的企业'),
      h(
        'div',
        { class: 'choices' },
        [...choices.kinds, ...choices.industries].map((kind) =>
          h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'kinds', value: kind.label, checked: shown.has(kind.label) }), kind.label),
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-thresholds` }, '门槛'),
      h('input', {
        id: `${id}-thresholds`,
        name: 'thresholds',
        type: 'text',
        value: view.thresholds.map((item) => item.text).join(';'),
        placeholder: '如:营业收入>=2000;员工人数<=30',
      }),
      h('p', { class: 'hint' }, `多项用分号分隔,金额以万元计,人数以人计;指标:营业收入、纳税额、员工人数、投资额、应纳税所得额、申请金额。`),
    ),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'first_time', checked: view.first_time.length > 0 }), '须为首次/新认定'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-gives` }, '给予'),
      h('input', {
        id: `${id}-gives`,
        name: 'gives',
        type: 'text',
        value: givesByOfficer,
        placeholder: view.gives.length ? `留空则保留解析结果:${view.gives.map((item) => item.text).join(';')}` : '如:一次性奖励10万元',
      }),
    ),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'verified', checked: Boolean(corrected) && view.unread.length === 0 }),
      '已对照原文核对,没有未能读出的条件',
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-note` }, '核定说明'),
      h('input', { id: `${id}-note`, name: 'note', type: 'text', value: corrected?.note ?? '', placeholder: '如:按申报指南核定' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, '保存条件'),
      corrected ? h('button', { type: 'button', 'data-action': 'restore' }, '恢复解析结果') : null,
      status,
    ),
  );
  /** @type {(method: 'PUT' | 'DELETE', body: object | undefined, message: string) => Promise<void>} */
  const send = async (method, body, message) => {
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    try {
      await api(`conditions/${encodeURIComponent(clause.clause_id)}`, { method, body });
      announce(message);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = errorMessage(error);
      for (const button of form.querySelectorAll('button')) button.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    void send(
      'PUT',
      {
        offered: data.get('offered') === 'on',
        kinds: data.getAll('kinds'),
        thresholds: data.get('thresholds'),
        first_time: data.get('first_time') === 'on',
        gives: data.get('gives'),
        verified: data.get('verified') === 'on',
        note: data.get('note'),
      },
      '适用条件已保存,匹配立即按更正后的条件进行。',
    );
  });
  form.querySelector('[data-action="restore"]')?.addEventListener('click', () => void send('DELETE', undefined, '已恢复规则解析的适用条件。'));
  return h('details', { class: 'correct' }, h('summary', {}, '更正适用条件'), form);
}
