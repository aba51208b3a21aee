/**
 * The flat XML WeCom's callback mode speaks: one <xml> element of simple children, values in CDATA or plain text.
 * Nothing nested is read, so a small reader is safer than a general parser (no entity expansion, no DTDs).
 *
 * The reader is a forward scanner: every `indexOf` starts where the last one stopped and a failed search ends the
 * scan, so a body of n characters costs O(n) whatever it holds. (A regular expression with a lazy `[\s\S]*?` and a
 * back-reference took 18–47 s on a crafted 1 MB body, issue 12.)
 */

const NAME = /^[A-Za-z_][\w.-]*$/;
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/** Reads the children of a flat `<xml>…</xml>` document into a record, e.g. `{ MsgType: 'text', Content: '…' }`. */
export function parseFlatXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of flatXmlFields(xml)) if (!(name in fields)) fields[name] = value;
  return fields;
}

/**
 * The first child called `name`, reading no further than it: the callback takes only <Encrypt> from an unsigned body
 * before checking the signature.
 */
export function readFlatXmlField(xml: string, name: string): string | undefined {
  for (const [field, value] of flatXmlFields(xml)) if (field === name) return value;
  return undefined;
}

/**
 * The children of the first `<xml>` element, in order. A nested element's own tags are skipped and its children read
 * as if flat (WeCom's few nested events, e.g. SendPicsInfo, are not answered); a malformed tail ends the scan. The
 * scan never moves back, which is what keeps it linear.
 */
function* flatXmlFields(xml: string): Generator<[string, string]> {
  const start = xml.indexOf('<xml>');
  if (start < 0) return;
  let at = start + '<xml>'.length;
  for (;;) {
    const open = xml.indexOf('<', at);
    if (open < 0) return;
    const close = xml.indexOf('>', open + 1);
    if (close < 0) return;
    const tag = xml.slice(open + 1, close);
    at = close + 1;
    if (tag === '/xml') return;
    if (!NAME.test(tag)) continue; // a closing tag of a nested element, a comment or a declaration
    const read = readValue(xml, at);
    if (read.kind === 'malformed') return;
    at = read.end;
    if (read.kind === 'nested' || !xml.startsWith(`</${tag}>`, at)) continue;
    at += tag.length + 3;
    yield [tag, read.value];
  }
}

/** The value starting at `at`: CDATA sections and text up to the next tag, and where it stopped. */
function readValue(xml: string, at: number): { kind: 'closed' | 'nested' | 'malformed'; value: string; end: number } {
  let value = '';
  let cursor = at;
  for (;;) {
    if (xml.startsWith(CDATA_OPEN, cursor)) {
      const end = xml.indexOf(CDATA_CLOSE, cursor + CDATA_OPEN.length);
      if (end < 0) return { kind: 'malformed', value, end: xml.length };
      value += xml.slice(cursor + CDATA_OPEN.length, end);
      cursor = end + CDATA_CLOSE.length;
    } else if (xml.startsWith('</', cursor)) {
      return { kind: 'closed', value, end: cursor };
    } else if (xml[cursor] === '<') {
      return { kind: 'nested', value, end: cursor };
    } else {
      const next = xml.indexOf('<', cursor);
      if (next < 0) return { kind: 'malformed', value, end: xml.length };
      value += decodeEntities(xml.slice(cursor, next));
      cursor = next;
    }
  }
}

/** Writes a flat `<xml>` document: strings in CDATA, numbers as plain text. */
export function buildFlatXml(fields: Record<string, string | number>): string {
  const children = Object.entries(fields).map(([name, value]) =>
    typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`,
  );
  return `<xml>${children.join('')}</xml>`;
}

/** A CDATA section holding any text: a literal "]]>" is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}
