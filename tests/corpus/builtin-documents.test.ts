import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../corpus/corpus-library.ts';
import { matchingForm } from '../../corpus/script-converter.ts';
import { validityOn } from '../../corpus/validity.ts';
import { indexText } from '../../retrieval/clause-retriever.ts';

const corpus = loadCorpus('corpus/documents');
const doc = (id: string) => corpus.document(id)!;
const clause = (docId: string, citeLabel: string) => doc(docId).clauses.filter((item) => item.citeLabel === citeLabel);

describe('000 清远 若干意见', () => {
  it('has 68 measures (一)…(六十八) under 七 headings', () => {
    expect(doc('000').clauses).toHaveLength(68);
    expect(
      doc('000')
        .clauses.map((item) => item.citeLabel)
        .slice(0, 3),
    ).toEqual(['(一)', '(二)', '(三)']);
    expect(doc('000').clauses.at(-1)!.citeLabel).toBe('(六十八)');
    expect(new Set(doc('000').clauses.map((item) => item.path[0])).size).toBe(7);
    expect(clause('000', '(六十八)')[0]!.path).toEqual(['七、增强信心,构建亲清新型政商关系']);
  });

  it('splits lead and support departments at the end of each measure', () => {
    const second = clause('000', '(二)')[0]!;
    expect(second.leadDepartments).toEqual(['市人力资源社会保障局']);
    expect(second.supportDepartments).toEqual(['市税务局', '市工业和信息化局', '市财政局', '市发展改革局', '市生态环境局', '市市场监管局']);
    expect(clause('000', '(四)')[0]!.leadDepartments).toEqual(['市总工会']);
    expect(clause('000', '(五十二)')[0]!.leadDepartments).toEqual(['市司法局', '市公安局', '市法院', '市检察院']);
    // 〔…〕 with nested parentheses: "各县(市、区)人民政府" stays one unit.
    expect(clause('000', '(六十五)')[0]!.supportDepartments).toContain('各县(市、区)人民政府');
  });

  it('reads metadata: title, 文号, issuer, dates, validity (three years from 2022-02-01)', () => {
    const document = doc('000');
    expect(document.title).toBe('清远市关于促进民营经济高质量发展的若干意见');
    expect(document.docNumber).toBe('清府办〔2021〕34号');
    expect(document.issuer).toBe('清远市人民政府办公室');
    expect(document.dates).toEqual({ written: '2021-12-29', published: '2022-01-14', effective: '2022-02-01', printed: null });
    // 乐清's 版记 under its attachment: "乐清市人民政府办公室    2023年11月27日印发", four days after its 成文日期.
    expect(doc('003').dates).toMatchObject({ written: '2023-11-23', printed: '2023-11-27' });
    expect(document.validity.effectiveUntil).toBe('2025-01-31');
    expect(validityOn(document, '2024-06-01').status).toBe('in_force');
    expect(validityOn(document, '2026-11-23').status).toBe('expired');
    expect(validityOn(document, '2022-01-20').status).toBe('not_yet_in_force');
  });

  it('reads the document it repeals, named by the notice that issued it', () => {
    expect(doc('000').validity.repeals).toEqual([
      {
        title: '清远市关于促进民营经济加快发展的若干意见',
        docNumber: '清府办〔2019〕14号',
        sentence: '《清远市人民政府办公室印发〈清远市关于促进民营经济加快发展的若干意见〉的通知》(清府办〔2019〕14号)同步废止。',
      },
    ]);
    // A measure asking to repeal rules in general ("推进…行政规范性文件废止、修订") names no document.
    expect(doc('003').validity.repeals).toEqual([]);
  });
});

describe('001 普洱 (the whole text on one line)', () => {
  it('finds 13 titled measures under three headings, title from metadata, issuer from the end', () => {
    const document = doc('001');
    expect(document.clauses).toHaveLength(13);
    expect(document.clauses.map((item) => item.title)[0]).toBe('健全民营经济领导机制');
    expect(document.clauses[12]!.citeLabel).toBe('(十三)');
    expect(document.title).toBe('普洱市促进民营经济发展若干措施');
    expect(document.issuer).toBe('中共普洱市委办公室、普洱市人民政府办公室');
  });

  it('keeps 〔…各县(区)党委、政府按职责分工负责〕 units whole and all as lead', () => {
    expect(clause('001', '(一)')[0]!.leadDepartments).toEqual([
      '市委办公室',
      '市委统战部',
      '市考评办',
      '市政府办公室',
      '市民营办',
      '市工商联',
      '各县(区)党委、政府',
    ]);
    expect(clause('001', '(一)')[0]!.supportDepartments).toEqual([]);
  });

  it('does not let the closing formula join the last measure', () => {
    expect(clause('001', '(十三)')[0]!.text).not.toContain('本措施自印发之日起实施');
    expect(doc('001').validity.statement).toMatch(/^本措施自印发之日起实施/);
  });
});

describe('002 茂名 (traditional, garbled headings, image attachment)', () => {
  const document = doc('002');
  it('keeps 57 numbered tasks with sound paths under (一)…(十二)', () => {
    const tasks = document.clauses.filter((item) => /^\d+$/.test(item.citeLabel));
    expect(tasks.map((item) => Number(item.citeLabel))).toEqual(Array.from({ length: 57 }, (_, index) => index + 1));
    const headings = [...new Set(tasks.slice(0, 54).map((item) => item.path[1]!.replace(/\).*/, ')')))];
    // (三)'s heading is too damaged to recover past its number; the sequence still holds.
    expect(headings).toEqual(['(一)', '(二)', '(三…', '(四)', '(五)', '(六)', '(七)', '(八)', '(九)', '(十)', '(十一)', '(十二)']);
  });

  it('recovers garbled headings where the bytes allow', () => {
    const paths = document.clauses.map((item) => item.path[1]).filter(Boolean);
    expect(paths).toContain('(五)深化公共资源交易改革');
    expect(paths).toContain('(八)促进市场公平竞争');
    expect(paths.join('')).not.toMatch(/strong|ㄒ/);
  });

  it('names no department per task, only the cover note contact, and records the missing attachment', () => {
    const task = document.clauses.find((item) => item.citeLabel === '10')!;
    expect(task.leadDepartments).toEqual([]);
    expect(task.departmentNote).toContain('实施过程中遇到的问题,请径向市发展改革局反映');
    expect(document.missingAttachments).toEqual(['茂名市优化营商环境三年行动方案任务清单']);
    expect(document.validity.effectiveUntil).toBe('2025-12-31');
  });

  it('keeps the published traditional text and searches it in simplified script', () => {
    const task = document.clauses.find((item) => item.citeLabel === '4')!;
    expect(task.text).toContain('暢通企業退出渠道');
    expect(indexText(task, document)).toContain('畅通企业退出渠道');
  });
});

describe('003 乐清 (inline responsibility notes and the 1+N table)', () => {
  const document = doc('003');
  it('makes each sub-measure with its own (责任单位:…) a clause', () => {
    const first = document.clauses.filter((item) => item.citeLabel === '二(一)');
    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(first[0]!.leadDepartments).toEqual(['市经信局', '市自然资源和规划局']);
    expect(first[1]!.leadDepartments).toEqual(['市税务局']);
    expect(first[1]!.text.startsWith('深化“税地协作”')).toBe(true);
    expect(document.docNumber).toBe('乐政办发〔2023〕43号');
  });

  it('turns table rows into clauses with goal, period, lead (*) and support, leader and contact', () => {
    const row2 = document.clauses.filter((item) => item.citeLabel.startsWith('附件 序号2 '));
    expect(row2[0]!.citeLabel).toBe('附件 序号2 全市目标');
    expect(row2[0]!.leadDepartments).toEqual(['市财政局']);
    expect(row2[0]!.supportDepartments).toEqual(['市发改局', '市经信局', '市科技局', '市国资办', '市国有资本运营集团']);
    expect(row2[0]!.period).toBe('2023-2027年');
    expect(row2[0]!.details['分管领导']).toBe('杨宏辉');
    const row4 = document.clauses.find((item) => item.citeLabel === '附件 序号4 落实举措2')!;
    expect(row4.text).toContain('0.52吨标准煤/万元');
    expect(row4.leadDepartments).toEqual(['市发改局']);
    expect(row4.details).toMatchObject({ 全市目标: '每年新增能耗的80%以上支持民间投资项目。', 分管领导: '林立杨', 联络员: '连十炎' });
  });

  it('joins rows split across pages without duplicating repeated cells', () => {
    const row1 = document.clauses.filter((item) => item.citeLabel.startsWith('附件 序号1 '));
    expect(row1.map((item) => item.citeLabel)).toContain('附件 序号1 全市目标4');
    expect(row1.filter((item) => item.citeLabel.includes('落实举措'))).toHaveLength(15);
    const row3 = document.clauses.filter((item) => item.citeLabel.startsWith('附件 序号3 全市目标'));
    expect(row3).toHaveLength(2);
    expect(document.clauses.filter((item) => item.citeLabel.startsWith('附件 序号3 落实举措')).at(-1)!.citeLabel).toBe('附件 序号3 落实举措16');
  });
});

describe('004 清远工信局 reply letter', () => {
  const document = doc('004');
  it('restores items that lost their opening "(六" / "(七"', () => {
    expect(document.clauses.filter((item) => item.path[0] === '四、优化行政审批,提升服务效率').map((item) => item.citeLabel)).toEqual([
      '四(一)',
      '四(二)',
      '四(三)',
      '四(四)',
      '四(五)',
      '四(六)',
      '四(七)',
    ]);
    expect(document.warnings.join()).toContain('推定为(六)');
  });

  it('takes departments from the running text and the contact from the end', () => {
    expect(clause('004', '五(二)')[0]!.leadDepartments).toEqual(['市发改局']);
    expect(clause('004', '五(二)')[0]!.supportDepartments).toEqual(['市商务局']);
    expect(clause('004', '一(五)')[0]!.leadDepartments).toEqual(['市水利局', '清远供电局']);
    expect(clause('004', '三(二)')[0]!.leadDepartments).toEqual([]);
    expect(document.contact).toBe('联系人:伍崇智,电话:0763-3364322');
    expect(validityOn(document, '2026-11-23').note).toContain('答复函');
  });
});

describe('every document', () => {
  it('cites each clause by a label no other clause of the document has, bar the sub-measures of one measure', () => {
    for (const document of corpus.documents) {
      const ids = document.clauses.map((item) => item.clauseId);
      expect(new Set(ids).size, document.docId).toBe(ids.length);
      // Sub-measures split from one measure share its label and have ids "<measure>.1", "<measure>.2"…
      const owners = new Map<string, Set<string>>();
      for (const item of document.clauses)
        owners.set(
          item.citeLabel,
          (owners.get(item.citeLabel) ?? new Set()).add(/\.\d+$/.test(item.clauseId) ? item.clauseId.replace(/\.\d+$/, '') : item.clauseId),
        );
      const shared = [...owners].filter(([, measures]) => measures.size > 1).map(([label]) => label);
      expect(shared, document.docId).toEqual([]);
    }
  });

  it('reads "1.2023下半年…" in a table cell as item 1 about 2023, not as the number 1.2023', () => {
    const targets = doc('003').clauses.filter((item) => item.citeLabel.startsWith('附件 序号18 全市目标'));
    expect(targets.map((item) => item.citeLabel)).toEqual(['附件 序号18 全市目标1', '附件 序号18 全市目标2', '附件 序号18 全市目标3']);
    expect(targets[1]!.text).toContain('入驻省和温州境外经贸合作区');
  });
});

describe('the hand-checked question sets agree with the parser', () => {
  it('finds every gold anchor in exactly one clause, with the gold departments and label', async () => {
    const { readFileSync } = await import('node:fs');
    const questions = ['questions', 'heldout', 'blind'].flatMap((set) =>
      readFileSync(`tests/eval/${set}.jsonl`, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
    const sorted = (names: string[]) => names.map(matchingForm).sort();
    const problems: string[] = [];
    for (const question of questions.filter((item) => item.doc && item.clause === null)) {
      // A question about the document itself: its anchor is in the document's own sentences (cover note, validity).
      const document = corpus.document(question.doc)!;
      const own = [document.title, document.docNumber ?? '', ...document.notes].map(matchingForm).join('|');
      if (!own.includes(matchingForm(question.anchor))) problems.push(`${question.id}: anchor not among the document's own sentences`);
    }
    // Each clause's matching form once: converting every clause again for each question held the worker for tens of seconds.
    const forms = corpus.clauses.map((item) => ({ item, form: matchingForm(item.text) }));
    for (const question of questions.filter((item) => item.doc && item.clause !== null)) {
      const anchor = matchingForm(question.anchor);
      const hits = forms.filter(({ form }) => form.includes(anchor)).map(({ item }) => item);
      if (hits.length !== 1) {
        problems.push(`${question.id}: ${hits.length} clauses`);
        continue;
      }
      const [hit] = hits;
      if (JSON.stringify(sorted(hit!.leadDepartments)) !== JSON.stringify(sorted(question.lead))) problems.push(`${question.id}: lead ${hit!.leadDepartments}`);
      if (JSON.stringify(sorted(hit!.supportDepartments)) !== JSON.stringify(sorted(question.support)))
        problems.push(`${question.id}: support ${hit!.supportDepartments}`);
      if (hit!.citeLabel.replace(/\s/g, '') !== question.clause.replace(/\s/g, '')) problems.push(`${question.id}: label ${hit!.citeLabel}`);
    }
    expect(problems).toEqual([]);
  });
});
