// @ts-check
import { api, channelLabels, formatDuration, formFields, h, reasonLabels, verdictLabels } from './dom.js';
import { chartWidth, stackedBars, stackedColumns } from './charts.js';

/** @typedef {import('../api-json.ts').OverviewJson} OverviewJson */
/** @typedef {import('../../store/index.ts').Verdict} Verdict */
/** @typedef {{ key: string, label: string }} Series */

/** @type {Verdict[]} */
const verdictKeys = ['correct', 'incomplete', 'wrong'];
const verdictSeries = verdictKeys.map((key) => ({ key, label: verdictLabels[key] ?? key }));

/**
 * Questions per day and channel, refusals, and verdicts per document and department.
 * @param {import('./dom.js').Route} route
 */
export async function renderOverview(route) {
  const query = new URLSearchParams();
  for (const name of ['from', 'to']) {
    const value = route.params.get(name);
    if (value) query.set(name, value);
  }
  /** @type {OverviewJson} */
  const data = await api(`overview?${query}`);
  const channelSeries = data.channels.map((channel) => ({
    key: channel,
    label: channelLabels[channel] ?? channel,
    values: data.days.map((day) => data.per_day.find((row) => row.day === day && row.channel === channel)?.questions ?? 0),
  }));
  const perDayTotals = data.days.map((day) =>
    data.per_day
      .filter((row) => row.day === day)
      .reduce(
        (sum, row) => ({ questions: sum.questions + row.questions, refused: sum.refused + row.refused, uncertain: sum.uncertain + (row.uncertain ?? 0) }),
        { questions: 0, refused: 0, uncertain: 0 },
      ),
  );
  const percent = (/** @type {number} */ value) => `${Math.round(value * 100)}%`;

  return h(
    'section',
    { class: 'stack', 'aria-labelledby': 'overview-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'overview-title' }, '统计概览'), h('span', { class: 'muted' }, `${data.from} 至 ${data.to}`)),
    rangeForm(data),
    h(
      'div',
      { class: 'tiles' },
      tile('提问', data.totals.questions),
      tile('未找到规定', data.totals.refused),
      tile('不确定', data.totals.uncertain),
      tile('未找到率', percent(data.totals.refusal_rate)),
    ),
    h('h2', {}, '转人工'),
    h(
      'div',
      { class: 'tiles', 'aria-label': '转人工统计' },
      tile('新增', data.handoffs.opened),
      tile('已回复', data.handoffs.by_status.answered),
      tile('已关闭', data.handoffs.by_status.closed),
      tile('已忽略', data.handoffs.by_status.dismissed),
      tile('等待中位数', data.handoffs.median_wait_ms === null ? '—' : formatDuration(data.handoffs.median_wait_ms)),
      tile('当前待处理', data.handoffs.open_now),
      tile('待处理已等待', data.handoffs.open_median_wait_ms === null ? '—' : formatDuration(data.handoffs.open_median_wait_ms)),
    ),
    h(
      'p',
      { class: 'small muted' },
      `新增转人工按原因:${Object.entries(data.handoffs.by_reason)
        .map(([reason, count]) => `${reasonLabels[/** @type {keyof OverviewJson['handoffs']['by_reason']} */ (reason)] ?? reason} ${count}`)
        .join(',')}。等待时间从转人工到专员回复、关闭或忽略,取中位数。`,
    ),
    h(
      'div',
      { class: 'charts' },
      chartCard(
        '每日提问(按渠道)',
        true,
        legend(channelSeries),
        stackedColumns({ title: '每日提问数,按渠道堆叠', categories: data.days, series: channelSeries, width: chartWidth(true) }),
        dataTable(
          ['日期', ...channelSeries.map((item) => item.label)],
          data.days.map((day, index) => [day, ...channelSeries.map((item) => item.values[index])]),
        ),
      ),
      chartCard(
        '每日未找到规定的比例',
        true,
        stackedColumns({
          title: '每日未找到规定的比例',
          categories: data.days,
          width: chartWidth(true),
          height: 160,
          maximum: 1,
          format: percent,
          series: [{ key: 'refused', label: '未找到率', values: perDayTotals.map((day) => (day.questions ? day.refused / day.questions : 0)) }],
        }),
        dataTable(
          ['日期', '提问', '未找到', '不确定'],
          data.days.map((day, index) => [day, perDayTotals[index].questions, perDayTotals[index].refused, perDayTotals[index].uncertain]),
        ),
      ),
      verdictChart(
        '各文件审核结论',
        data.verdicts_by_document.map((row) => ({ label: row.doc_title, values: row })),
      ),
      // Counted over the clauses the asker was shown, per place: 市发改局 and 市发展改革局 are one bar.
      verdictChart(
        '各牵头部门审核结论',
        data.verdicts_by_department.map((row) => ({ label: row.place ? `${row.department}(${row.place})` : row.department, values: row })),
      ),
    ),
  );
}

/** @param {{ from: string, to: string }} data */
function rangeForm(data) {
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': '统计时段' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'overview-from' }, '开始日期'),
      h('input', { id: 'overview-from', name: 'from', type: 'date', value: data.from }),
    ),
    h('div', { class: 'field' }, h('label', { for: 'overview-to' }, '结束日期'), h('input', { id: 'overview-to', name: 'to', type: 'date', value: data.to })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '更新')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/overview?${formFields(form)}`;
  });
  return form;
}

/**
 * @param {string} label
 * @param {string | number} value
 */
function tile(label, value) {
  return h('div', { class: 'tile' }, h('span', { class: 'muted' }, label), h('strong', {}, String(value)));
}

/**
 * @param {string} title
 * @param {boolean} wide
 * @param {...import('./dom.js').Child} content
 */
function chartCard(title, wide, ...content) {
  return h('figure', { class: `card chart${wide ? ' wide' : ''}` }, h('figcaption', {}, h('h2', {}, title)), ...content);
}

/** @param {Series[]} series */
function legend(series) {
  return h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    series.map((item) => h('li', {}, h('span', { class: `swatch ${item.key}` }), item.label)),
  );
}

/**
 * @param {string} title
 * @param {{ label: string, values: Record<Verdict, number> }[]} rows
 */
function verdictChart(title, rows) {
  if (!rows.length) return chartCard(title, false, h('p', { class: 'muted' }, '此时段还没有审核。'));
  return chartCard(
    title,
    false,
    legend(verdictSeries),
    stackedBars({ title, rows, series: verdictSeries, width: chartWidth(false) }),
    dataTable(
      ['名称', ...verdictSeries.map((item) => item.label)],
      rows.map((row) => [row.label, ...verdictSeries.map((item) => row.values[item.key])]),
    ),
  );
}

/**
 * The chart's numbers as a table, for screen readers and for copying.
 * @param {string[]} headers
 * @param {(string | number)[][]} rows
 */
function dataTable(headers, rows) {
  return h(
    'details',
    {},
    h('summary', {}, '查看数据表'),
    h(
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
            headers.map((header, index) => h('th', { scope: 'col', class: index ? 'number' : null }, header)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((row) =>
            h(
              'tr',
              {},
              row.map((cell, index) => (index ? h('td', { class: 'number' }, String(cell)) : h('th', { scope: 'row' }, String(cell)))),
            ),
          ),
        ),
      ),
    ),
  );
}
