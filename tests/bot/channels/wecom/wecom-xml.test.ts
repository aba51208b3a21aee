import { describe, expect, it } from 'vitest';
import { buildFlatXml, parseFlatXml, readFlatXmlField } from '../../../../bot/channels/wecom/wecom-xml.ts';

describe('WeCom flat XML', () => {
  it('reads CDATA and plain fields as WeCom sends them, and what it writes itself', () => {
    const message =
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<CreateTime>1732350000</CreateTime>' +
      '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[稳岗返还<比例>是多少?]]></Content><Note>A &amp; B &lt;c&gt;</Note></xml>';
    expect(parseFlatXml(message)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      CreateTime: '1732350000',
      MsgType: 'text',
      Content: '稳岗返还<比例>是多少?',
      Note: 'A & B <c>',
    });
    // "]]>" inside a value is written as two CDATA sections and read back whole.
    expect(parseFlatXml(buildFlatXml({ Content: '见 a]]>b', TimeStamp: 7 }))).toEqual({ Content: '见 a]]>b', TimeStamp: '7' });
  });

  it("skips a nested element's own tags and keeps the first of repeated fields", () => {
    const event =
      '<xml><MsgType><![CDATA[event]]></MsgType><SendPicsInfo><Count>1</Count></SendPicsInfo>' +
      '<MsgType><![CDATA[text]]></MsgType><Event><![CDATA[pic_sysphoto]]></Event></xml>';
    expect(parseFlatXml(event)).toEqual({ MsgType: 'event', Count: '1', Event: 'pic_sysphoto' });
  });

  it('takes <Encrypt> alone from an envelope, reading nothing after it', () => {
    const envelope =
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID>1</AgentID>' + '<![CDATA['.repeat(1000);
    expect(readFlatXmlField(envelope, 'Encrypt')).toBe('abc+/=');
    expect(readFlatXmlField('<xml><AgentID>1</AgentID></xml>', 'Encrypt')).toBeUndefined();
    expect(readFlatXmlField('not xml at all', 'Encrypt')).toBeUndefined();
  });

  // Bodies built to make a backtracking or rescanning reader quadratic; the bodies are 1–2 MB, 64 KB is the callback's limit.
  it.each([
    ['fields opened and never closed', `<xml>${'<Encrypt><![CDATA['.repeat(60_000)}`],
    ['CDATA openings inside one long CDATA value', `<xml><a><![CDATA[${'<x><![CDATA['.repeat(80_000)}]]></b></xml>`],
    ['tags that never close', `<xml>${'<a>'.repeat(400_000)}`],
    ['closing tags that match nothing', `<xml>${'<a>x</b>'.repeat(150_000)}`],
    ['one name a megabyte long', `<xml><${'a'.repeat(1_000_000)}>x</a></xml>`],
  ])('reads %s in linear time', (_, body) => {
    const small = body.slice(0, Math.floor(body.length / 16));
    const timeOf = (xml: string) => {
      const started = performance.now();
      for (let round = 0; round < 3; round += 1) parseFlatXml(xml);
      return (performance.now() - started) / 3;
    };
    timeOf(small);
    const [smallMs, largeMs] = [timeOf(small), timeOf(body)];
    // Sixteen times the input: about sixteen times the time when linear, 256 when quadratic.
    expect(largeMs).toBeLessThan(Math.max(60 * smallMs, 250));
  });
});
