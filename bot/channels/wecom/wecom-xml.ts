/**
 * The flat XML WeCom's callback mode speaks: one <xml> element of simple children, values in CDATA or plain text.
 * Nothing nested is read, so a small reader is safer than a general parser (no entities expansion, no DTDs).
 */

const FIELD = /<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;

/** Reads the children of a flat `<xml>…</xml>` document into a record, e.g. `{ MsgType: 'text', Content: '…' }`. */
export function parseFlatXml(xml: string): Record<string, string> {
  const inner = /<xml>([\s\S]*)<\/xml>/.exec(xml)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of inner.matchAll(FIELD)) {
    const [, name, cdata, text] = match;
    if (name !== undefined && !(name in fields)) fields[name] = cdata ?? decodeEntities(text ?? '');
  }
  return fields;
}

/** Writes a flat `<xml>` document: strings in CDATA, numbers as plain text. */
export function buildFlatXml(fields: Record<string, string | number>): string {
  const children = Object.entries(fields).map(([name, value]) =>
    typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`);
  return `<xml>${children.join('')}</xml>`;
}

/** A CDATA section holding any text: a literal "]]>" is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}
