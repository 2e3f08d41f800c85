import { describe, it, expect } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import { DEFAULT_PARA_MAX_BYTES, parsePara } from '../../src/para/index.js';
import { errorOf, fixture, validPara } from './fixture.js';

describe('parsePara', () => {
  it('reads the defaults and a product block, with lines', () => {
    expect(validPara('product.xml')).toEqual({
      file: 'para.xml',
      defaults: [
        { name: 'model', value: 'wing.zip', line: 2 },
        { name: 'cells', value: '64', line: 3 },
      ],
      blocks: [
        {
          rule: 'product',
          line: 4,
          lists: [
            { name: 'mach', values: ['0.6', '0.7', '0.8'], line: 5 },
            { name: 'alpha', values: ['0', '2', '4'], line: 6 },
          ],
        },
      ],
    });
  });

  it('splits a zip list on any XML whitespace, newlines included', () => {
    const para = validPara('zip.xml');
    expect(para.blocks).toEqual([
      {
        rule: 'zip',
        line: 4,
        lists: [
          { name: 'mach', values: ['0.6', '0.7', '0.8'], line: 5 },
          { name: 'alpha', values: ['0', '2', '4'], line: 6 },
          { name: 'solver', values: ['simple', 'simple', 'simple'], line: 8 },
        ],
      },
    ]);
  });

  it('reads an explicit block as its own rule, States in order', () => {
    const [block] = validPara('explicit.xml').blocks;
    expect(block?.rule).toBe('explicit');
    if (block?.rule !== 'explicit') return;
    expect(block.states.map((state) => [state.name, state.line])).toEqual([
      ['cruise', 5],
      ['take-off', 10],
      ['approach', 14],
    ]);
    expect(block.states[1]?.params).toEqual([
      { name: 'flaps', value: '20', line: 11 },
      { name: 'mach', value: '0.2', line: 12 },
    ]);
  });

  it('defaults to the product rule and accepts defaults after the blocks', () => {
    const para = validPara('two-products.xml');
    expect(para.blocks.map((block) => block.rule)).toEqual(['product', 'product']);
    expect(para.defaults).toEqual([{ name: 'cells', value: '64', line: 6 }]);
  });

  it('keeps values verbatim: spaces, empty values, decoded character references', () => {
    expect(validPara('defaults-overridden.xml').defaults.slice(1, 3)).toEqual([
      { name: 'label', value: '  spaced  out  ', line: 3 },
      { name: 'empty', value: '', line: 4 },
    ]);
    expect(validPara('no-states.xml').defaults[1]?.value).toBe('a & b <c> {x} ${y} "q"');
  });

  it('reads a string like the same bytes', () => {
    const bytes = fixture('valid', 'product-explicit.xml');
    const text = new TextDecoder().decode(bytes);
    expect(parsePara(text, { file: 'para.xml' })).toEqual(parsePara(bytes, { file: 'para.xml' }));
  });

  it('accepts an empty <Para/>', () => {
    expect(validPara('empty.xml')).toEqual({ file: 'para.xml', defaults: [], blocks: [] });
  });

  it('refuses a file over maxBytes, 16 MiB by default', () => {
    expect(DEFAULT_PARA_MAX_BYTES).toBe(16 * 1024 * 1024);
    const bytes = fixture('valid', 'product.xml');
    const err = errorOf(() => parsePara(bytes, { file: 'cases/para.xml', maxBytes: 100 }));
    expect(err.message).toBe(`cases/para.xml is ${bytes.byteLength} bytes, over the limit of 100`);
    const big = `<Para>${' '.repeat(DEFAULT_PARA_MAX_BYTES)}</Para>`;
    expect(
      isMirrorError(
        errorOf(() => parsePara(big, { file: 'para.xml' })),
        'XML_TOO_LARGE',
      ),
    ).toBe(true);
  });
});
