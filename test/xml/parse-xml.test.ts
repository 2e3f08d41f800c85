import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/xml/index.js';
import { errorOf } from '../support/error-of.js';

const parse = (text: string | Uint8Array, maxBytes = 10_000) => parseXml(text, { file: 'a.xml', maxBytes });

describe('parseXml', () => {
  it('gives elements, attributes and the line each start tag begins on', () => {
    const root = parse(
      '<?xml version="1.0" encoding="utf-8"?>\n<A x="1">\n  <B\n    y="&lt;2&gt;"/>\n</A>\n',
    );
    expect(root.name).toBe('A');
    expect(root.line).toBe(2);
    expect(root.attributes.get('x')).toBe('1');
    expect(root.children[0]?.name).toBe('B');
    expect(root.children[0]?.line).toBe(3);
    expect(root.children[0]?.attributes.get('y')).toBe('<2>');
  });

  it('refuses a DOCTYPE, so no entity can ever be declared (billion laughs, XXE)', () => {
    const laughs = '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;">]>\n<A>&b;</A>';
    expect(errorOf(() => parse(laughs))).toBe('a.xml line 2: DOCTYPE is not allowed');
    const xxe = '<!DOCTYPE A [<!ENTITY x SYSTEM "file:///etc/passwd">]><A>&x;</A>';
    expect(errorOf(() => parse(xxe))).toBe('a.xml line 1: DOCTYPE is not allowed');
  });

  it('refuses undefined entities, PIs, CDATA, XInclude and namespaces', () => {
    expect(errorOf(() => parse('<A>\n&foo;</A>'))).toBe('a.xml line 2: malformed XML: undefined entity.');
    expect(errorOf(() => parse('<A><?php x?></A>'))).toBe(
      'a.xml line 1: processing instruction <?php?> is not allowed',
    );
    expect(errorOf(() => parse('<A><![CDATA[x]]></A>'))).toBe('a.xml line 1: CDATA section is not allowed');
    expect(errorOf(() => parse('<A><xi:include href="/etc/passwd"/></A>'))).toBe(
      'a.xml line 1: XInclude <xi:include> is not allowed',
    );
  });

  it('refuses other encodings and bytes that are not UTF-8', () => {
    expect(errorOf(() => parse('<?xml version="1.0" encoding="ISO-8859-1"?><A/>'))).toBe(
      'a.xml line 1: encoding "ISO-8859-1" is not UTF-8',
    );
    expect(errorOf(() => parse(new Uint8Array([0x3c, 0x41, 0x3e, 0x0a, 0xff, 0x3c, 0x2f, 0x41, 0x3e])))).toBe(
      'a.xml line 2: encoding "not valid UTF-8" is not UTF-8',
    );
    expect(errorOf(() => parse(new Uint8Array([0xff, 0xfe, 0x3c, 0x00])))).toBe(
      'a.xml line 1: encoding "UTF-16 or UTF-32" is not UTF-8',
    );
  });

  it('refuses oversize documents and deep nesting', () => {
    expect(errorOf(() => parse(`<A x="${'y'.repeat(200)}"/>`, 100))).toBe(
      'a.xml is 209 bytes, over the limit of 100',
    );
    const deep = '<A>'.repeat(65) + '</A>'.repeat(65);
    expect(errorOf(() => parse(deep))).toBe('a.xml line 1: nesting deeper than 64');
    expect(parse('<A>'.repeat(64) + '</A>'.repeat(64)).name).toBe('A');
  });

  it('reports malformed XML with its line', () => {
    expect(errorOf(() => parse('<A>\n<B>\n</A>'))).toBe('a.xml line 3: malformed XML: unexpected close tag.');
    expect(errorOf(() => parse(''))).toMatch(/^a\.xml line 1: malformed XML: /);
  });
});
