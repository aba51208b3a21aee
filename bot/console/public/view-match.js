// @ts-check
import { announce, api, badge, channelLabels, departmentWords, errorMessage, formatTime, h, leadDepartments, validityLabels } from './dom.js';

// Chats a match can be sent to: the channels the API sends through (old `wecom` rows go through either WeCom mode).
/** @type {ChannelName[]} */
const sendChannels = ['wecom-bot', 'wecom-callback', 'telegram'];

/** @typedef {import('../../core/index.ts').ChannelName} ChannelName */
/** @typedef {import('../matching-routes.ts').MatchJson} MatchJson */
/** @typedef {import('../matching-routes.ts').MatchChoicesJson} MatchChoicesJson */
/** @typedef {import('../api-json.ts').ExchangeJson} ExchangeJson */
/**
 * What the page sends to `POST /api/match` (and its export and send): the fields the officer filled.
 * @typedef {{ text?: string, region?: string, employees?: number, revenue_wan?: number, kinds?: string[], needs?: string[] }} ProfileRequest
 * @typedef {{ profile: ProfileRequest, include_expired: boolean }} MatchRequest
 */

/**
 * 政策匹配: a short form an officer fills while on the phone with an enterprise, the measures that apply grouped by
 * topic as the chat gives them, then export or send the result to the enterprise's chat.
 */
export async function renderMatch() {
  /** @type {MatchChoicesJson} */
  const choices = await api('match/choices');
  const result = h('div', { class: 'stack', 'aria-live': 'polite' });
  /** @type {(name: string, item: { id: string, label: string }) => HTMLLabelElement} */
  const box = (name, item) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: item.id }), item.label);
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'match-form-title' },
    h('h2', { id: 'match-form-title' }, '企业情况'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'match-text' }, '企业怎么说的'),
      h('textarea', { id: 'match-text', name: 'text', rows: 3, placeholder: '例如:我们是清远一家28人的小微制造企业,去年营收3000万,能享受哪些政策?' }),
      h('p', { class: 'hint' }, '照企业的原话记下即可;下面的选项只在原话没有说到时补充,填了以选项为准。'),
    ),
    h(
      'div',
      { class: 'filters' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'match-region' }, '所在地区'),
        h('input', { id: 'match-region', name: 'region', type: 'text', placeholder: '如:清远市清城区' }),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'match-employees' }, '员工人数'),
        h('input', { id: 'match-employees', name: 'employees', type: 'number', min: '0', step: '1', inputmode: 'numeric' }),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'match-revenue' }, '上年营业收入(万元)'),
        h('input', { id: 'match-revenue', name: 'revenue_wan', type: 'number', min: '0', step: 'any', inputmode: 'decimal' }),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'match-industry' }, '行业'),
        h(
          'select',
          { id: 'match-industry', name: 'industry' },
          h('option', { value: '' }, '未说明'),
          choices.industries.map((item) => h('option', { value: item.id }, item.label)),
        ),
      ),
    ),
    h(
      'details',
      {},
      h('summary', {}, '企业类型(选填)'),
      h(
        'fieldset',
        {},
        h('legend', {}, '企业类型'),
        h(
          'div',
          { class: 'choices' },
          choices.kinds.map((item) => box('kinds', item)),
        ),
      ),
    ),
    h(
      'details',
      {},
      h('summary', {}, '企业想办的事(选填)'),
      h(
        'fieldset',
        {},
        h('legend', {}, '想办的事'),
        h(
          'div',
          { class: 'choices' },
          choices.needs.map((item) => box('needs', item)),
        ),
      ),
    ),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'include_expired' }), '包括已过有效期的措施(单独列出,仅供参考)'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, '匹配政策'),
      h('span', { class: 'hint' }, '与企业在会话中问“能享受哪些政策”得到的结果相同。'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = requestOf(new FormData(form));
    if (!request) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, '请填写企业怎么说的,或至少一项企业情况。'));
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, '正在匹配…'));
    try {
      /** @type {MatchJson} */
      const match = await api('match', { method: 'POST', body: request });
      result.replaceChildren(await matchView(match, request, choices.topics));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorMessage(error)));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'match-title' },
    h('h1', { id: 'match-title' }, '政策匹配'),
    h('p', { class: 'muted small' }, '企业来电或来访问“我们能享受哪些政策”时,边听边填;结果可导出,或发送到企业所在的会话。'),
    form,
    result,
  );
}

/** The API's request from the form: the enterprise's words, and only the fields the officer filled. */
/**
 * @param {FormData} data
 * @returns {MatchRequest | null}
 */
function requestOf(data) {
  /** @type {ProfileRequest} */
  const profile = {};
  const text = String(data.get('text') ?? '').trim();
  const region = String(data.get('region') ?? '').trim();
  if (text) profile.text = text;
  if (region) profile.region = region;
  for (const name of /** @type {const} */ (['employees', 'revenue_wan'])) {
    const value = String(data.get(name) ?? '').trim();
    if (value !== '') profile[name] = Number(value);
  }
  // The form holds no file input: every value is text (the industry's is '' when none is chosen).
  const kinds = [...data.getAll('kinds'), data.get('industry')].filter((value) => typeof value === 'string').filter((value) => value !== '');
  const needs = data.getAll('needs').filter((value) => typeof value === 'string');
  if (kinds.length) profile.kinds = kinds;
  if (needs.length) profile.needs = needs;
  if (Object.keys(profile).length === 0) return null;
  return { profile, include_expired: data.get('include_expired') === 'on' };
}

/**
 * @param {MatchJson} match
 * @param {MatchRequest} request
 * @param {MatchChoicesJson['topics']} topics
 */
async function matchView(match, request, topics) {
  const { result } = match;
  const byTopic = topics.map((topic) => ({ ...topic, items: result.matches.filter((item) => item.topic === topic.id) })).filter((group) => group.items.length);
  const found = result.matches.length + result.may_apply.length;
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'match-result-title', 'data-testid': 'match-result' },
    h('h2', { id: 'match-result-title' }, '匹配结果'),
    h('p', {}, h('strong', {}, '企业情况:'), match.summary),
    match.follow_up ? h('p', { class: 'card notice', role: 'note' }, h('strong', {}, '请再问企业:'), match.follow_up) : null,
    found === 0 ? h('p', { class: 'card muted' }, '现有政策文件中没有找到明确适用的措施。可补充地区、人数或营收、行业、想办的事后再匹配。') : null,
    result.matches.length ? h('p', { class: 'muted' }, `相符的措施 ${result.matches.length} 项`) : null,
    byTopic.map((group) =>
      h(
        'section',
        { class: 'stack', 'aria-label': group.label },
        h('h3', {}, group.label),
        h(
          'ol',
          { class: 'list' },
          group.items.map((item) => h('li', {}, measureCard(item))),
        ),
      ),
    ),
    result.may_apply.length
      ? h(
          'section',
          { class: 'stack', 'aria-label': '可能适用,请向责任部门确认' },
          h('h3', {}, '可能适用,请向责任部门确认'),
          h('p', { class: 'hint' }, '这些措施的部分条件文件没有写明或规则未能读出,请企业向牵头部门确认。'),
          h(
            'ol',
            { class: 'list' },
            result.may_apply.map((item) => h('li', {}, measureCard(item))),
          ),
        )
      : null,
    result.expired.length
      ? h(
          'section',
          { class: 'stack', 'aria-label': '已过有效期' },
          h('h3', {}, '已过有效期(仅供参考,请向责任部门确认是否有新政策)'),
          h(
            'ol',
            { class: 'list' },
            result.expired.map((item) => h('li', {}, measureCard(item))),
          ),
        )
      : null,
    !result.expired.length && result.expired_count
      ? h('p', { class: 'small muted' }, `另有 ${result.expired_count} 项相符的措施所在文件或实施阶段已过有效期,未列出;勾选“包括已过有效期的措施”可一并查看。`)
      : null,
    h('div', { class: 'actions' }, exportButton(request)),
    await sendForm(request),
  );
}

/** @param {MatchJson['result']['matches'][number]} item */
function measureCard(item) {
  const citation = item.citation;
  return h(
    'article',
    { class: 'card stack measure', 'aria-label': item.name },
    h('h4', {}, item.name),
    h(
      'dl',
      { class: 'facts' },
      item.gives.length ? [h('dt', {}, '给予'), h('dd', {}, item.gives.join(';'))] : null,
      item.matched_on.length ? [h('dt', {}, '符合条件'), h('dd', {}, item.matched_on.join('、'))] : null,
      item.to_check.length ? [h('dt', {}, '需确认'), h('dd', {}, item.to_check.join('、'))] : null,
      item.unread.length ? [h('dt', {}, '未能读出'), h('dd', {}, item.unread.map((unread) => unread.reason).join(';'))] : null,
      h('dt', {}, '有效期'),
      h('dd', {}, badge(validityLabels[item.validity.status] ?? item.validity.status, `valid-${item.validity.status}`), ' ', item.validity.note),
      h('dt', {}, departmentWords.lead),
      h('dd', {}, leadDepartments(citation)),
      h('dt', {}, '出处'),
      h(
        'dd',
        {},
        h('a', { href: clauseHref(citation) }, `《${citation.doc_title}》${citation.doc_number ? `(${citation.doc_number})` : ''}${citation.clause_label}`),
      ),
    ),
  );
}

/** The clause in the corpus browser, scrolled to and marked. */
/** @param {{ doc_id: string, clause_id: string }} clause */
export function clauseHref({ doc_id: docId, clause_id: clauseId }) {
  return `#/corpus/${encodeURIComponent(docId)}?clause=${encodeURIComponent(clauseId)}`;
}

/** @param {MatchRequest} request */
function exportButton(request) {
  const button = h('button', { type: 'button' }, '导出 CSV');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const response = await fetch('api/match/export.csv', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        credentials: 'same-origin',
      });
      if (response.status === 401) {
        location.assign('sign-in');
        return;
      }
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error?.message ?? `导出失败(${response.status})`);
      const link = h('a', { href: URL.createObjectURL(await response.blob()), download: `政策匹配结果-${new Date().toISOString().slice(0, 10)}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      announce('已导出 CSV,可用 Excel 或 WPS 打开。');
    } catch (error) {
      announce(errorMessage(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Chats seen in the log lately, once each, newest first: the enterprise on the phone has usually written before. */
async function recentChats() {
  /** @type {import('../api-json.ts').PageJson<ExchangeJson>} */
  const { items } = await api('exchanges?page_size=200');
  /** @type {Map<string, ExchangeJson>} */
  const seen = new Map();
  for (const exchange of items) {
    if (!sendChannels.includes(exchange.channel) && exchange.channel !== 'wecom') continue;
    const key = `${exchange.channel}\n${exchange.chat_id}`;
    if (!seen.has(key)) seen.set(key, exchange);
  }
  return [...seen.values()].slice(0, 30);
}

/** @param {MatchRequest} request */
async function sendForm(request) {
  const chats = await recentChats().catch(() => []);
  const status = h('div', { role: 'status' });
  const manualChannel = h(
    'select',
    { id: 'send-channel', name: 'channel' },
    sendChannels.map((name) => h('option', { value: name }, channelLabels[name])),
  );
  const manualChat = h('input', { id: 'send-chat', name: 'chat_id', type: 'text', placeholder: 'Telegram 的 chat id,或企业微信的 userid / 群 chatid' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'send-title' },
    h('h3', { id: 'send-title' }, '发送到企业会话'),
    h('p', { class: 'hint' }, '把上面的结果作为一条消息发到企业所在的会话,消息以“【政策服务专员为您匹配的政策】”开头,并记入问答记录。'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'send-recent' }, '最近提问的会话'),
      h(
        'select',
        { id: 'send-recent', name: 'recent' },
        h('option', { value: '' }, chats.length ? '手动填写渠道和会话编号' : '没有最近的会话,请手动填写'),
        chats.map((exchange) =>
          h(
            'option',
            { value: JSON.stringify([exchange.channel, exchange.chat_id]) },
            `${channelLabels[exchange.channel] ?? exchange.channel} · 会话 ${exchange.chat_id} · ${formatTime(exchange.time)} · ${exchange.question.slice(0, 24)}`,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'filters', 'data-testid': 'send-manual' },
      h('div', { class: 'field' }, h('label', { for: 'send-channel' }, '渠道'), manualChannel),
      h('div', { class: 'field' }, h('label', { for: 'send-chat' }, '会话编号'), manualChat),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '发送到企业会话…')),
    status,
  );
  const recent = /** @type {HTMLSelectElement} */ (form.querySelector('#send-recent'));
  const manual = /** @type {HTMLElement} */ (form.querySelector('[data-testid="send-manual"]'));
  recent.addEventListener('change', () => {
    manual.hidden = recent.value !== '';
  });
  /** @returns {{ channel: ChannelName, chat_id: string }} */
  const target = () => {
    if (recent.value) {
      // Written by this form from the log's exchanges (above).
      /** @type {[ChannelName, string]} */
      const [channel, chatId] = JSON.parse(recent.value);
      return { channel, chat_id: chatId };
    }
    // One of the options above, all sendChannels.
    return { channel: /** @type {ChannelName} */ (manualChannel.value), chat_id: manualChat.value.trim() };
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { channel, chat_id: chatId } = target();
    if (!chatId) {
      status.replaceChildren(h('p', { class: 'error', role: 'alert' }, '请选择最近的会话,或填写会话编号。'));
      return;
    }
    // Said back before anything leaves: a result sent to the wrong chat cannot be taken back.
    const confirmButton = h('button', { type: 'button', class: 'primary' }, '确认发送');
    const cancelButton = h('button', { type: 'button' }, '取消');
    status.replaceChildren(
      h('div', { class: 'actions' }, h('p', {}, `将把匹配结果发送到 ${channelLabels[channel] ?? channel} 会话 ${chatId},确定吗?`), confirmButton, cancelButton),
    );
    cancelButton.addEventListener('click', () => status.replaceChildren());
    confirmButton.addEventListener('click', async () => {
      confirmButton.disabled = true;
      cancelButton.disabled = true;
      try {
        /** @type {import('../matching-routes.ts').MatchSentJson} */
        const sent = await api('match/send', { method: 'POST', body: { ...request, channel, chat_id: chatId } });
        status.replaceChildren(
          h(
            'p',
            { 'data-testid': 'send-result' },
            badge('已发送', 'correct'),
            ` 已发送到 ${channelLabels[channel] ?? channel} 会话 ${chatId}。`,
            h('a', { href: `#/review/${sent.exchange_id}` }, `在问答记录中查看 #${sent.exchange_id}`),
          ),
        );
        announce('匹配结果已发送到企业会话。');
      } catch (error) {
        status.replaceChildren(h('p', { class: 'error', role: 'alert', 'data-testid': 'send-result' }, `未能发送:${errorMessage(error)}`));
      }
    });
  });
  return form;
}
