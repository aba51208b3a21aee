// @ts-check
import { announce, api, badge, currentOfficer, errorMessage, formatDuration, formatTime, h, stateLabels } from './dom.js';

/** @type {Record<import('../system-status.ts').SystemStatus['channels'][number]['state'], string>} */
const stateKinds = { running: 'correct', off: '', failed: 'wrong', stopped: 'incomplete' };

/** Which channels run and since when, their last problem; the corpus and its index; the queue. */
export async function renderStatus() {
  /** @type {Promise<import('../system-status.ts').StatusJson>} */
  const reading = api('status');
  const [status, me] = await Promise.all([reading, currentOfficer()]);
  const corpus = status.corpus;
  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'status-title' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'status-title' }, '系统状态'),
      h(
        'span',
        { class: 'muted' },
        `${formatTime(status.now)} · 启动于 ${formatTime(status.started_at)} · 回答方式:${status.answers === 'llm' ? '模型生成' : '摘录'}`,
      ),
    ),
    h(
      'section',
      { class: 'card stack', 'aria-labelledby': 'channels-title' },
      h('h2', { id: 'channels-title' }, '渠道'),
      status.channels.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['渠道', '状态', '自', '最近的问题'].map((title) => h('th', { scope: 'col' }, title)),
                ),
              ),
              h(
                'tbody',
                {},
                status.channels.map((channel) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, channel.label),
                    h('td', {}, badge(stateLabels[channel.state] ?? channel.state, stateKinds[channel.state])),
                    h('td', {}, channel.since ? formatTime(channel.since) : '—'),
                    h(
                      'td',
                      {},
                      channel.last_problem
                        ? [
                            h(
                              'span',
                              { class: channel.last_problem.level === 'error' ? 'error' : '' },
                              `${formatTime(channel.last_problem.time)} ${channel.last_problem.message}`,
                            ),
                          ]
                        : channel.missing.length
                          ? h('span', { class: 'muted' }, `在 .env 中设置 ${channel.missing.join('、')} 即可启用`)
                          : h('span', { class: 'muted' }, '无'),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '此控制台未连接聊天渠道。'),
    ),
    h(
      'section',
      { class: 'card stack', 'aria-labelledby': 'queue-title' },
      h('h2', { id: 'queue-title' }, '转人工'),
      h(
        'p',
        {},
        `待处理 ${status.handoffs.open} 条`,
        status.handoffs.oldest_open ? `,最早的已等待 ${formatDuration(Date.parse(status.now) - Date.parse(status.handoffs.oldest_open))}` : '',
        ' ',
        h('a', { href: '#/handoffs' }, '去处理'),
      ),
    ),
    status.outbox
      ? h(
          'section',
          { class: 'card stack', 'aria-labelledby': 'outbox-title' },
          h('h2', { id: 'outbox-title' }, '待发答复'),
          h(
            'p',
            {},
            `待发送 ${status.outbox.pending} 条`,
            status.outbox.oldest_pending ? `，最早的已等待 ${formatDuration(Date.parse(status.now) - Date.parse(status.outbox.oldest_pending))}` : '',
            `；发送失败 ${status.outbox.failed} 条；已补发送达 ${status.outbox.delivered} 条。`,
            status.outbox.pending + status.outbox.failed > 0 ? h('a', { href: '#/log?delivery=undelivered' }, '查看未送达的答复') : null,
          ),
          h(
            'p',
            { class: 'hint' },
            '企业微信回调模式下，来不及在 5 秒内被动回复的答复先记入存储，再经发送消息接口补发，失败会重试约 3 分钟，仍失败的标记为发送失败。',
          ),
        )
      : null,
    corpus
      ? h(
          'section',
          { class: 'card stack', 'aria-labelledby': 'corpus-title' },
          h('h2', { id: 'corpus-title' }, '政策文件与索引'),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, '文件'),
            h('dd', {}, `${corpus.documents} 份,${corpus.clauses} 条条款`),
            h('dt', {}, '解析提示'),
            h('dd', {}, `${corpus.documents_with_warnings} 份文件有提示`),
            h('dt', {}, '人工更正'),
            h('dd', {}, `${corpus.corrections} 条`),
            h('dt', {}, '向量索引'),
            h('dd', {}, `${corpus.index.vectors} 条 · ${corpus.index.embedder}`),
            h('dt', {}, '载入时间'),
            h('dd', {}, formatTime(corpus.loaded_at)),
            h('dt', {}, '文件目录'),
            h('dd', {}, h('code', {}, corpus.corpus_dir)),
            h('dt', {}, '索引目录'),
            h('dd', {}, h('code', {}, corpus.index.directory)),
          ),
          corpus.last_reload_error
            ? h(
                'p',
                { class: 'error' },
                `最近一次重新载入失败(${formatTime(corpus.last_reload_error.time)}):${corpus.last_reload_error.message}。仍在使用之前载入的文件。`,
              )
            : null,
          me.role === 'admin'
            ? h(
                'div',
                { class: 'actions' },
                h('button', { type: 'button', onclick: reload }, '重新载入文件库'),
                h('span', { class: 'hint' }, '用命令行 policybot corpus add 加入文件后,在此载入,无需重启。'),
              )
            : null,
        )
      : null,
  );
}

/** @param {import('./dom.js').ButtonClick} event */
async function reload(event) {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    /** @type {Awaited<ReturnType<import('../corpus-admin.ts').CorpusAdmin['reload']>>} */
    const result = await api('corpus/reload', { method: 'POST', body: {} });
    announce(`已重新载入:${result.documents} 份文件,${result.clauses} 条条款。`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (error) {
    announce(errorMessage(error));
    button.disabled = false;
  }
}
