#!/usr/bin/env python3
"""Development aid: sanity-check tests/eval/questions.jsonl against the five seed documents.

Usage: python3 tests/eval/check-questions.py [SEEDS_DIR]
SEEDS_DIR defaults to $POLICYBOT_SEEDS, else ../shared/seeds beside the repo (/work/shared/seeds).
Standard library only. Exit status 0 when every check passes.

Checks:
  * >= 160 questions, unique ids, every field present with the right type, known kind;
  * the 62 dev questions (dev.jsonl next to the seeds, if found) are included unchanged;
  * >= 12 unanswerable questions among the new (E...) ones; unanswerable => doc/clause/anchor null, lists empty;
  * answerable: doc is 000..004, clause label matches the document's label style,
    anchor is 8-30 characters and occurs EXACTLY ONCE across all five documents after removing
    whitespace -- checked twice: on the raw text as written (002 anchors are written in traditional
    like the file) and after a character-level traditional->simplified mapping of documents and anchor
    (no opencc in python here, so a small built-in table covering the characters of the corpus is used);
  * every fact occurs in the question's document (raw or mapped), and in the same paragraph as the
    anchor (for 001, whose text is one line, in the same numbered measure);
  * every lead/support unit occurs in the question's document.
"""
import json, os, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / 'questions.jsonl'

# character-level traditional -> simplified table for the characters that occur in the corpus
_T = "來個們偵備傳債價償優儲內兩凈別則創劃劑動務勞勢勵匯區協參員問啟單嗎嚴國圍園圖團執堅報場塊壓壘壟壯學實審寬將專對導層屬島帥師帶幫幾庫廠廢廣廳張強彈後徑從復惡愛態應懲戶掃掛揚換揮損搶撐撥擊擔據擴擾數斷時暢書會東桿條業極構樂標橋機檔檢檻欄權歸氣決沒況減測準溝滿濟濱灣為無營爭牽狀獨獲現環產異當療發盡監盤眾確碼礎礦稅種稱積穩競節簡簽籌粵糾紀約紅納紐紓紙級紛細終組結絡給統綁經綜綠維網緊線締編緩縣總織繞繪繳繼續罰羈義習聯職聽臨臺與舉華蓋薦藥處虛號術衛補裝見規視親觀觸訂計訓記訟訪設許訴詐評詢試該認誠誤誰誼調談請論諾謀講證識議護變讓負財貨責買貸費貼貿賀資賠賣質賬購跡踐蹤車軍輔輕輪輸輻轄轉辦農進運過達違遞遠適選還邊郵醫釋針銀銜銷錄錯鍵鏈鐵長門開閑間關陸隊階際隨險隱雙離難電靈響項順須預領頭頻題額類顯風養饋馳駐驗體鮮麼點黨齊龍"
_S = "来个们侦备传债价偿优储内两净别则创划剂动务劳势励汇区协参员问启单吗严国围园图团执坚报场块压垒垄壮学实审宽将专对导层属岛帅师带帮几库厂废广厅张强弹后径从复恶爱态应惩户扫挂扬换挥损抢撑拨击担据扩扰数断时畅书会东杆条业极构乐标桥机档检槛栏权归气决没况减测准沟满济滨湾为无营争牵状独获现环产异当疗发尽监盘众确码础矿税种称积稳竞节简签筹粤纠纪约红纳纽纾纸级纷细终组结络给统绑经综绿维网紧线缔编缓县总织绕绘缴继续罚羁义习联职听临台与举华盖荐药处虚号术卫补装见规视亲观触订计训记讼访设许诉诈评询试该认诚误谁谊调谈请论诺谋讲证识议护变让负财货责买贷费贴贸贺资赔卖质账购迹践踪车军辅轻轮输辐辖转办农进运过达违递远适选还边邮医释针银衔销录错键链铁长门开闲间关陆队阶际随险隐双离难电灵响项顺须预领头频题额类显风养馈驰驻验体鲜么点党齐龙"
T2S = str.maketrans(_T, _S)

FIELDS = {'id': str, 'question': str, 'doc': (str, type(None)), 'clause': (str, type(None)),
          'anchor': (str, type(None)), 'lead': list, 'support': list, 'facts': list, 'kind': str}
KINDS = {'fact', 'number', 'department', 'situational', 'keyword', 'traditional', 'unanswerable'}
CN = '[一二三四五六七八九十]+'
CLAUSE_RE = {
    '000': re.compile(r'^\(%s\)$' % CN),
    '001': re.compile(r'^\(%s\)$' % CN),
    '002': re.compile(r'^\d+$'),
    '003': re.compile(r'^(?:[一二三](?:\(%s\))?|附件 序号\d+ (?:全市目标|落实举措)\d*)$' % CN),
    '004': re.compile(r'^[一二三四五]\(%s\)$' % CN),
}


def squash(s):
    return re.sub(r'\s+', '', s)


def t2s(s):
    return s.translate(T2S)


def seeds_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get('POLICYBOT_SEEDS'):
        return Path(os.environ['POLICYBOT_SEEDS'])
    for cand in (HERE.parents[1].parent / 'shared' / 'seeds', Path('/work/shared/seeds')):
        if cand.is_dir():
            return cand
    sys.exit('seeds directory not found; pass it as the first argument')


def paragraph(doc, text, pos):
    """The paragraph (line) holding pos; for 001 (one line) the numbered measure holding pos."""
    if doc == '001':
        starts = [m.start() for m in re.finditer(r'\(%s\)' % CN, text)]
        s = max([x for x in starts if x <= pos] or [0])
        e = min([x for x in starts if x > pos] or [len(text)])
        return text[s:e]
    s = text.rfind('\n', 0, pos) + 1
    e = text.find('\n', pos)
    return text[s:e if e >= 0 else len(text)]


def main():
    sd = seeds_dir()
    raw = {}
    for f in sorted(sd.glob('*.txt')):
        raw[f.name[:3]] = f.read_text(encoding='utf-8')
    assert sorted(raw) == ['000', '001', '002', '003', '004'], 'expected five seeds, got %s' % sorted(raw)
    sq_raw = {d: squash(t) for d, t in raw.items()}
    sq_s = {d: t2s(t) for d, t in sq_raw.items()}

    errors = []
    def err(qid, msg):
        errors.append('%s: %s' % (qid, msg))

    lines = [l for l in QUESTIONS.read_text(encoding='utf-8').splitlines() if l.strip()]
    qs = []
    for n, l in enumerate(lines, 1):
        try:
            qs.append(json.loads(l))
        except ValueError as e:
            err('line %d' % n, 'bad json: %s' % e)
    if len(qs) < 160:
        err('-', 'only %d questions (need >= 160)' % len(qs))
    ids = [q.get('id') for q in qs]
    dups = {i for i in ids if ids.count(i) > 1}
    if dups:
        err('-', 'duplicate ids %s' % sorted(dups))

    dev = sd.parent / 'eval' / 'dev.jsonl'
    if dev.is_file():
        byid = {q.get('id'): q for q in qs}
        for l in dev.read_text(encoding='utf-8').splitlines():
            if l.strip():
                d = json.loads(l)
                if byid.get(d['id']) != d:
                    err(d['id'], 'dev question missing or changed')

    n_unans_new = 0
    for q in qs:
        qid = q.get('id', '?')
        bad = False
        for k, t in FIELDS.items():
            if k not in q:
                err(qid, 'missing field %s' % k); bad = True
            elif not isinstance(q[k], t):
                err(qid, 'field %s has type %s' % (k, type(q[k]).__name__)); bad = True
        if set(q) - set(FIELDS):
            err(qid, 'unknown fields %s' % sorted(set(q) - set(FIELDS)))
        if bad:
            continue
        if not re.match(r'^[DE]\d{3}$', qid):
            err(qid, 'id format')
        if q['kind'] not in KINDS:
            err(qid, 'unknown kind %r' % q['kind'])
        if not q['question'].strip():
            err(qid, 'empty question')
        for k in ('lead', 'support', 'facts'):
            if not all(isinstance(x, str) and x for x in q[k]):
                err(qid, '%s must be non-empty strings' % k)

        if q['kind'] == 'unanswerable' or q['doc'] is None:
            if q['kind'] != 'unanswerable':
                err(qid, 'doc null but kind %s' % q['kind'])
            if q['doc'] is not None or q['clause'] is not None or q['anchor'] is not None:
                err(qid, 'unanswerable must have doc/clause/anchor null')
            if q['lead'] or q['support'] or q['facts']:
                err(qid, 'unanswerable must have empty lead/support/facts')
            if qid.startswith('E'):
                n_unans_new += 1
            continue

        doc, anchor = q['doc'], q['anchor']
        if doc not in raw:
            err(qid, 'unknown doc %r' % doc); continue
        if not q['clause'] or not CLAUSE_RE[doc].match(q['clause']):
            err(qid, 'clause label %r does not fit doc %s' % (q['clause'], doc))
        if not anchor:
            err(qid, 'answerable question without anchor'); continue
        a = squash(anchor)
        if not 8 <= len(a) <= 30:
            (err if qid.startswith('E') else lambda *x: None)(qid, 'anchor length %d not in 8..30' % len(a))
        # 1) raw text as written
        hits = {d: s.count(a) for d, s in sq_raw.items() if s.count(a)}
        if sum(hits.values()) != 1 or doc not in hits:
            err(qid, 'anchor %r occurs %s times (raw, whitespace removed): %s' % (anchor, sum(hits.values()), hits))
        # 2) after traditional -> simplified
        a2 = t2s(a)
        hits2 = {d: s.count(a2) for d, s in sq_s.items() if s.count(a2)}
        if sum(hits2.values()) != 1 or doc not in hits2:
            err(qid, 'anchor %r occurs %s times after t2s: %s' % (anchor, sum(hits2.values()), hits2))
        # facts in the doc, and in the anchor's paragraph
        pos = raw[doc].find(anchor)
        para = squash(paragraph(doc, raw[doc], pos)) if pos >= 0 else ''
        for f in q['facts']:
            fs = squash(f)
            if fs not in sq_raw[doc] and t2s(fs) not in sq_s[doc]:
                err(qid, 'fact %r not in doc %s' % (f, doc))
            elif para and fs not in para and t2s(fs) not in t2s(para):
                err(qid, 'fact %r not in the paragraph of the anchor' % f)
        for u in q['lead'] + q['support']:
            if squash(u) not in sq_raw[doc]:
                err(qid, 'department %r not in doc %s' % (u, doc))
        if set(q['lead']) & set(q['support']):
            err(qid, 'unit both lead and support')

    if n_unans_new < 12:
        err('-', 'only %d new unanswerable questions (need >= 12)' % n_unans_new)

    kinds = {}
    docs = {}
    for q in qs:
        kinds[q.get('kind')] = kinds.get(q.get('kind'), 0) + 1
        docs[q.get('doc')] = docs.get(q.get('doc'), 0) + 1
    print('questions: %d  (new unanswerable: %d)' % (len(qs), n_unans_new))
    print('per doc :', ', '.join('%s=%d' % (k, docs[k]) for k in sorted(docs, key=str)))
    print('per kind:', ', '.join('%s=%d' % (k, kinds[k]) for k in sorted(kinds, key=str)))
    if errors:
        print('\n'.join(errors))
        print('FAILED: %d problem(s)' % len(errors))
        sys.exit(1)
    print('OK')


if __name__ == '__main__':
    main()
