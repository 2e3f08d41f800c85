import { describe, it, expect } from 'vitest';
import { isMirrorError, type ErrorCode } from '../../src/core/index.js';
import { parsePara } from '../../src/para/index.js';
import { errorOf, fixture } from './fixture.js';

/** Each invalid fixture, the code it is refused with, and the exact message. */
const cases: readonly (readonly [fixture: string, code: ErrorCode, message: string])[] = [
  // The XML layer's refusals, as a para file shows them.
  // saxes reports the DOCTYPE when it has read all of it: the line where it ends.
  ['billion-laughs.xml', 'XML_FORBIDDEN', 'para.xml line 2: DOCTYPE is not allowed'],
  ['undefined-entity.xml', 'XML_MALFORMED', 'para.xml line 2: malformed XML: undefined entity.'],
  [
    'processing-instruction.xml',
    'XML_FORBIDDEN',
    'para.xml line 2: processing instruction <?php?> is not allowed',
  ],
  ['malformed.xml', 'XML_MALFORMED', 'para.xml line 6: malformed XML: unexpected close tag.'],
  ['wrong-root.xml', 'XML_ROOT', 'para.xml line 1: root element is <Adapter>, expected <Para>'],
  ['unknown-element.xml', 'XML_UNKNOWN_ELEMENT', 'para.xml line 3: unknown element <Parameter> in <Para>'],
  [
    'unknown-element-in-state.xml',
    'XML_UNKNOWN_ELEMENT',
    'para.xml line 5: unknown element <States> in <State>',
  ],
  ['unknown-attribute.xml', 'XML_UNKNOWN_ATTRIBUTE', 'para.xml line 2: unknown attribute "type" on <Param>'],
  ['value-in-list.xml', 'XML_UNKNOWN_ATTRIBUTE', 'para.xml line 3: unknown attribute "value" on <Param>'],
  ['missing-name.xml', 'XML_MISSING_ATTRIBUTE', 'para.xml line 4: <Param> needs attribute "name"'],
  ['missing-value.xml', 'XML_MISSING_ATTRIBUTE', 'para.xml line 2: <Param> needs attribute "value"'],
  ['state-without-name.xml', 'XML_MISSING_ATTRIBUTE', 'para.xml line 6: <State> needs attribute "name"'],
  ['text-inside.xml', 'XML_TEXT', 'para.xml line 2: unexpected text "mach from 0.6 to 0.8" in <States>'],
  // Names.
  [
    'bad-name.xml',
    'XML_BAD_ATTRIBUTE',
    'para.xml line 2: <Param> name="2x": not an identifier (a letter or _, then letters, digits or _)',
  ],
  ['reserved-name.xml', 'XML_BAD_ATTRIBUTE', 'para.xml line 4: <Param> name="__proto__": a reserved name'],
  [
    'bad-state-name.xml',
    'XML_BAD_ATTRIBUTE',
    'para.xml line 3: <State> name="cruise,climb": a state name may not contain whitespace, "," or "="',
  ],
  // Rules and blocks.
  [
    'bad-rule.xml',
    'XML_BAD_ATTRIBUTE',
    'para.xml line 2: <States> rule="cartesian": expected "product" or "zip"',
  ],
  [
    'rule-on-explicit.xml',
    'PARA_RULE_ON_STATES',
    'para.xml line 2: <States rule="zip"> holds <State> elements; an explicit list takes no rule',
  ],
  [
    'empty-states.xml',
    'PARA_EMPTY_STATES',
    'para.xml line 3: <States> is empty; it needs <Param> or <State> elements',
  ],
  [
    'mixed.xml',
    'PARA_MIXED_STATES',
    'para.xml line 6: <Param> in a <States> that holds <State> (line 3); a <States> holds one kind only',
  ],
  ['empty-values.xml', 'PARA_EMPTY_VALUES', 'para.xml line 7: <Param> "mach" has an empty values list'],
  [
    'duplicate-value.xml',
    'PARA_DUPLICATE_VALUE',
    'para.xml line 3: <Param> "mach" lists the value "0.6" twice',
  ],
  [
    'zip-unequal.xml',
    'PARA_ZIP_LENGTHS',
    'para.xml line 5: zip lists differ in length: "beta" has 2 values, "mach" has 3',
  ],
  // Parameters named twice.
  [
    'duplicate-default.xml',
    'PARA_DUPLICATE_PARAM',
    'para.xml line 4: parameter "cells" is listed twice in the defaults (first on line 2)',
  ],
  [
    'duplicate-in-block.xml',
    'PARA_DUPLICATE_PARAM',
    'para.xml line 5: parameter "mach" is listed twice in the <States> on line 2 (first on line 3)',
  ],
  [
    'duplicate-in-state.xml',
    'PARA_DUPLICATE_PARAM',
    'para.xml line 5: parameter "mach" is listed twice in <State> "cruise" (first on line 4)',
  ],
  [
    'varied-twice.xml',
    'PARA_VARIED_TWICE',
    'para.xml line 8: parameter "mach" already varies in the <States> on line 2; a parameter varies in one <States> only',
  ],
  // Explicit States.
  [
    'duplicate-state.xml',
    'PARA_DUPLICATE_STATE',
    'para.xml line 9: <State> "cruise" is already defined on line 3',
  ],
  [
    'state-missing-param.xml',
    'PARA_STATE_MISSING',
    'para.xml line 8: <State> "climb" does not set "alt", which another <State> of its <States> sets, and "alt" has no default',
  ],
];

describe('parsePara refuses invalid para files', () => {
  it.each(cases)('%s', (name, code, message) => {
    const err = errorOf(() => parsePara(fixture('invalid', name), { file: 'para.xml' }));
    expect(err.message).toBe(message);
    expect(isMirrorError(err, code)).toBe(true);
  });

  it('names the file it was given', () => {
    const err = errorOf(() => parsePara(fixture('invalid', 'bad-name.xml'), { file: 'p17/sweep.xml' }));
    expect(err.message).toBe(
      'p17/sweep.xml line 2: <Param> name="2x": not an identifier (a letter or _, then letters, digits or _)',
    );
  });

  it('refuses an empty state name and the other reserved names', () => {
    const empty = errorOf(() =>
      parsePara('<Para>\n<States><State name=""/></States></Para>', { file: 'para.xml' }),
    );
    expect(empty.message).toBe('para.xml line 2: <State> name="": a state name cannot be empty');
    for (const name of ['prototype', 'constructor']) {
      const err = errorOf(() =>
        parsePara(`<Para><Param name="${name}" value="x"/></Para>`, { file: 'para.xml' }),
      );
      expect(err.message).toBe(`para.xml line 1: <Param> name="${name}": a reserved name`);
    }
  });

  it('refuses a para file in UTF-16', () => {
    const utf16 = Buffer.from('\ufeff<Para/>', 'utf16le');
    const err = errorOf(() => parsePara(utf16, { file: 'para.xml' }));
    expect(err.message).toBe('para.xml line 1: encoding "UTF-16 or UTF-32" is not UTF-8');
  });
});
