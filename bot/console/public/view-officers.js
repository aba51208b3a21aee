// @ts-check
import { announce, api, badge, currentOfficer, departmentWords, errorMessage, formatTime, h, pager, roleLabels } from './dom.js';

/** The audit's action names (AuditRecord.action is a string; an unknown one shows as itself). @type {Record<string, string | undefined>} */
const actionLabels = {
  'officer.add': '添加账号',
  'officer.role': '修改角色',
  'officer.disable': '停用账号',
  'officer.enable': '启用账号',
  'officer.reset_password': '重置密码',
  'officer.password': '修改自己的密码',
  'corpus.upload': '加入文件',
  'corpus.reload': '重新载入文件库',
  'clause.correct': '更正条款',
  'conditions.correct': '更正适用条件',
  'conditions.restore': '恢复解析的适用条件',
  'reviewed.edit': '修改审核答复',
  'reviewed.disable': '停用审核答复',
  'reviewed.enable': '启用审核答复',
  'handoff.assign': '接手转人工',
  'handoff.close': '关闭转人工',
  'handoff.dismiss': '忽略转人工',
  'handoff.reply': '回复转人工',
};

/**
 * Admins: officers' accounts and the audit trail of who changed what.
 * @param {import('./dom.js').Route} route
 */
export async function renderOfficers(route) {
  const me = await currentOfficer();
  if (me.role !== 'admin') return h('div', { class: 'card' }, h('h1', {}, '专员管理'), h('p', {}, '只有管理员可以管理专员账号。'));
  const page = Math.max(1, Number(route.params.get('page')) || 1);
  /** @type {Promise<{ items: import('../api-json.ts').OfficerJson[] }>} */
  const officers = api('officers');
  /** @type {Promise<import('../api-json.ts').PageJson<import('../api-json.ts').AuditJson>>} */
  const auditPage = api(`audit?page=${page}`);
  const [{ items }, audit] = await Promise.all([officers, auditPage]);
  const pages = Math.max(1, Math.ceil(audit.total / audit.page_size));
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'officers-title' },
    h('h1', { id: 'officers-title' }, '专员管理'),
    addForm(),
    h('div', { id: 'one-time-password', 'aria-live': 'polite' }),
    h(
      'div',
      { class: 'table-scroll card' },
      h(
        'table',
        { 'aria-label': '专员账号' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['用户名', '角色', '状态', '创建时间', '操作'].map((title) => h('th', { scope: 'col' }, title)),
          ),
        ),
        h(
          'tbody',
          {},
          items.map((officer) => officerRow(officer, me.officer)),
        ),
      ),
    ),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'audit-title' },
      h('h2', { id: 'audit-title' }, `操作记录(${audit.total})`),
      h(
        'div',
        { class: 'table-scroll card' },
        h(
          'table',
          { 'aria-label': '操作记录' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['时间', '操作人', '操作', '对象', '详情'].map((title) => h('th', { scope: 'col' }, title)),
            ),
          ),
          h(
            'tbody',
            {},
            audit.items.map((entry) =>
              h(
                'tr',
                {},
                h('td', {}, formatTime(entry.time)),
                h('td', {}, entry.officer),
                h('td', {}, actionLabels[entry.action] ?? entry.action),
                h('td', {}, entry.target),
                h('td', { class: 'small' }, describe(entry.details)),
              ),
            ),
          ),
        ),
      ),
      pager({ page, pages, href: (target) => `#/officers?page=${target}`, label: '操作记录分页' }),
    ),
  );
}

/** @type {Record<string, string | undefined>} */
const detailLabels = {
  role: '角色',
  before: '原',
  after: '改为',
  note: '原因',
  question: '问题',
  file: '文件',
  title: '标题',
  bytes: '字节',
  lead_departments: departmentWords.lead,
  support_departments: departmentWords.support,
  answer: '答复',
  min_similarity: '相似度下限',
  previous: '原处理人',
  save_as_reviewed: '保存为审核答复',
  documents: '文件',
  clauses: '条款',
};

/** @param {Record<string, unknown>} details an audit entry's details */
function describe(details) {
  return Object.entries(details)
    .map(([key, value]) => {
      const label = detailLabels[key] ?? key;
      if (value && typeof value === 'object' && 'before' in value) {
        const change = /** @type {{ before: unknown, after?: unknown }} */ (value);
        return `${label}:${show(change.before)} → ${show(change.after)}`;
      }
      return `${label}:${show(value)}`;
    })
    .join(';');
}

/** @param {unknown} value */
function show(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (value === true) return '是';
  if (value === false) return '否';
  // A role is shown in words; the cast only lets any string look itself up.
  const role = typeof value === 'string' ? roleLabels[/** @type {import('../../store/index.ts').OfficerRole} */ (value)] : undefined;
  if (role) return role;
  if (Array.isArray(value)) return value.join('、') || '(空)';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** A password the server made, shown once to pass on; it is not stored anywhere readable. */
/**
 * @param {string} name
 * @param {string} password
 */
function showPassword(name, password) {
  document
    .getElementById('one-time-password')
    ?.replaceChildren(
      h(
        'div',
        { class: 'card notice', role: 'alert' },
        h('p', {}, `“${name}”的临时密码(只显示这一次,请当面或通过安全渠道告知本人):`),
        h('p', {}, h('code', { class: 'password', 'data-testid': 'one-time-password' }, password)),
      ),
    );
}

function addForm() {
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': '添加专员' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'officer-new-name' }, '用户名'),
      h('input', { id: 'officer-new-name', name: 'name', required: true, autocomplete: 'off' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'officer-new-role' }, '角色'),
      h('select', { id: 'officer-new-role', name: 'role' }, h('option', { value: 'officer' }, '专员'), h('option', { value: 'admin' }, '管理员')),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '添加专员'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      /** @type {import('../api-json.ts').OfficerChangeJson & { password: string }} */
      const added = await api('officers', { method: 'POST', body: { name: data.get('name'), role: data.get('role') } });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      // The page re-renders; show the password on the new one.
      setTimeout(() => showPassword(added.officer.name, added.password), 300);
      announce(`已添加“${added.officer.name}”。`);
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  });
  return form;
}

/**
 * @param {import('../api-json.ts').OfficerJson} officer
 * @param {string} self
 */
function officerRow(officer, self) {
  const path = `officers/${encodeURIComponent(officer.name)}`;
  /**
   * @param {HTMLButtonElement | HTMLSelectElement} button
   * @param {string} suffix
   * @param {object} body
   * @param {string} message
   */
  const run = async (button, suffix, body, message) => {
    button.disabled = true;
    try {
      /** @type {import('../api-json.ts').OfficerChangeJson} */
      const result = await api(`${path}/${suffix}`, { method: 'POST', body });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      const password = result.password;
      if (password) setTimeout(() => showPassword(officer.name, password), 300);
      announce(message);
    } catch (error) {
      announce(errorMessage(error));
      button.disabled = false;
    }
  };
  const role = h(
    'select',
    { 'aria-label': `${officer.name} 的角色` },
    Object.entries(roleLabels).map(([value, label]) => h('option', { value, selected: officer.role === value }, label)),
  );
  role.addEventListener('change', () =>
    run(
      role,
      'role',
      { role: role.value },
      `“${officer.name}”的角色已改为${roleLabels[/** @type {import('../../store/index.ts').OfficerRole} */ (role.value)]}。`,
    ),
  );
  return h(
    'tr',
    { 'data-officer': officer.name },
    h('th', { scope: 'row' }, officer.name, officer.name === self ? h('span', { class: 'muted' }, '(我)') : null),
    h('td', {}, role),
    h(
      'td',
      {},
      officer.disabled
        ? [badge('已停用', 'wrong'), h('span', { class: 'small muted' }, ` ${officer.disabled.by} ${formatTime(officer.disabled.time)}`)]
        : badge('可用', 'correct'),
    ),
    h('td', {}, formatTime(officer.created)),
    h(
      'td',
      {},
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            onclick: (/** @type {import('./dom.js').ButtonClick} */ event) => run(event.currentTarget, 'password', {}, `已重置“${officer.name}”的密码。`),
          },
          '重置密码',
        ),
        officer.name === self
          ? null
          : officer.disabled
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: (/** @type {import('./dom.js').ButtonClick} */ event) => run(event.currentTarget, 'enable', {}, `已启用“${officer.name}”。`),
                },
                '启用',
              )
            : h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: (/** @type {import('./dom.js').ButtonClick} */ event) =>
                    run(event.currentTarget, 'disable', {}, `已停用“${officer.name}”,其登录已失效。`),
                },
                '停用',
              ),
      ),
    ),
  );
}

/** Every officer: who is signed in, and changing one's own password. */
export async function renderAccount() {
  const me = await currentOfficer();
  const status = h('p', { class: 'hint', role: 'status' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, '修改密码'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'password-current' }, '当前密码'),
      h('input', { id: 'password-current', name: 'current', type: 'password', required: true, autocomplete: 'current-password' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'password-new' }, '新密码(至少 10 个字符)'),
      h('input', { id: 'password-new', name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '保存新密码'), status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api('me/password', { method: 'POST', body: { current: data.get('current'), password: data.get('password') } });
      form.reset();
      status.textContent = '密码已修改。';
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  });
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'account-title' },
    h('h1', { id: 'account-title' }, '我的账号'),
    h('p', {}, `${me.officer} · ${roleLabels[me.role]}`, h('span', { class: 'muted' }, ` · 本次登录到 ${formatTime(me.expires)} 失效`)),
    form,
  );
}
