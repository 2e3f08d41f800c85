import { describe, it, expect } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import {
  countStates,
  DEFAULT_MAX_STATES,
  DEFAULT_MAX_VALUES,
  expandStates,
  parsePara,
  type ParaState,
} from '../../src/para/index.js';
import { errorOf, validPara } from './fixture.js';

const labels = (states: readonly ParaState[]): string[] => states.map((state) => state.label);

/** A product block of `lists` lists, each of `size` values, as a para file's text. */
function productOf(lists: number, size: number): string {
  const values = Array.from({ length: size }, (_, i) => String(i)).join(' ');
  const params = Array.from({ length: lists }, (_, i) => `<Param name="p${i}" values="${values}"/>`);
  return `<Para><States>${params.join('')}</States></Para>`;
}

describe('expandStates', () => {
  it('expands a product as nested loops, the last-listed parameter fastest', () => {
    const states = expandStates(validPara('product.xml'));
    expect(states.map((state) => [state.index, state.params.mach, state.params.alpha])).toEqual([
      [0, '0.6', '0'],
      [1, '0.6', '2'],
      [2, '0.6', '4'],
      [3, '0.7', '0'],
      [4, '0.7', '2'],
      [5, '0.7', '4'],
      [6, '0.8', '0'],
      [7, '0.8', '2'],
      [8, '0.8', '4'],
    ]);
    expect(states[5]).toEqual({
      index: 5,
      label: 'mach=0.7,alpha=4',
      params: { model: 'wing.zip', cells: '64', mach: '0.7', alpha: '4' },
    });
  });

  it('pairs zip lists position by position; a constant list is not in the label', () => {
    const states = expandStates(validPara('zip.xml'));
    expect(states).toEqual([
      {
        index: 0,
        label: 'mach=0.6,alpha=0',
        params: { cells: '64', mach: '0.6', alpha: '0', solver: 'simple' },
      },
      {
        index: 1,
        label: 'mach=0.7,alpha=2',
        params: { cells: '64', mach: '0.7', alpha: '2', solver: 'simple' },
      },
      {
        index: 2,
        label: 'mach=0.8,alpha=4',
        params: { cells: '64', mach: '0.8', alpha: '4', solver: 'simple' },
      },
    ]);
  });

  it('makes one state per explicit State, led in the label by its name', () => {
    const states = expandStates(validPara('explicit.xml'));
    expect(states).toEqual([
      {
        index: 0,
        label: 'cruise,mach=0.78,alt=11000,flaps=0',
        params: { alt: '11000', cells: '64', mach: '0.78', flaps: '0' },
      },
      {
        index: 1,
        label: 'take-off,mach=0.2,alt=0,flaps=20',
        params: { alt: '0', cells: '64', mach: '0.2', flaps: '20' },
      },
      {
        index: 2,
        label: 'approach,mach=0.2,alt=0,flaps=30',
        params: { alt: '0', cells: '64', mach: '0.2', flaps: '30' },
      },
    ]);
  });

  it('combines a product block and an explicit block, the earlier block outer', () => {
    const states = expandStates(validPara('product-explicit.xml'));
    expect(labels(states)).toEqual([
      'alpha=0,cruise,mach=0.78',
      'alpha=0,climb,mach=0.5',
      'alpha=4,cruise,mach=0.78',
      'alpha=4,climb,mach=0.5',
    ]);
    expect(states[3]?.params).toEqual({ model: 'wing.zip', alpha: '4', mach: '0.5', alt: '11000' });
  });

  it('combines two product blocks in document order', () => {
    const states = expandStates(validPara('two-products.xml'));
    expect(states).toHaveLength(12);
    expect(labels(states)).toEqual([
      'mesh=coarse,mach=0.6,alpha=0',
      'mesh=coarse,mach=0.6,alpha=2',
      'mesh=coarse,mach=0.6,alpha=4',
      'mesh=coarse,mach=0.7,alpha=0',
      'mesh=coarse,mach=0.7,alpha=2',
      'mesh=coarse,mach=0.7,alpha=4',
      'mesh=fine,mach=0.6,alpha=0',
      'mesh=fine,mach=0.6,alpha=2',
      'mesh=fine,mach=0.6,alpha=4',
      'mesh=fine,mach=0.7,alpha=0',
      'mesh=fine,mach=0.7,alpha=2',
      'mesh=fine,mach=0.7,alpha=4',
    ]);
    // Defaults first, then the varied parameters in document order.
    expect(Object.keys(states[0]?.params ?? {})).toEqual(['cells', 'mesh', 'order', 'mach', 'alpha']);
    expect(states[7]?.params).toEqual({ cells: '64', mesh: 'fine', order: '1', mach: '0.6', alpha: '2' });
  });

  it('overrides defaults with the state values and keeps the rest verbatim', () => {
    expect(expandStates(validPara('defaults-overridden.xml'))).toEqual([
      {
        index: 0,
        label: 'mach=0.6,cells=32',
        params: { mach: '0.6', label: '  spaced  out  ', empty: '', cells: '32' },
      },
      {
        index: 1,
        label: 'mach=0.7,cells=128',
        params: { mach: '0.7', label: '  spaced  out  ', empty: '', cells: '128' },
      },
    ]);
  });

  it('makes exactly one state, labelled "", without States', () => {
    expect(expandStates(validPara('no-states.xml'))).toEqual([
      { index: 0, label: '', params: { model: 'wing.zip', cmd: 'a & b <c> {x} ${y} "q"' } },
    ]);
    expect(expandStates(validPara('empty.xml'))).toEqual([{ index: 0, label: '', params: {} }]);
  });

  it('gives every state its own plain params object', () => {
    const [first, second] = expandStates(validPara('product.xml'));
    expect(Object.getPrototypeOf(first?.params)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(first?.params))).toEqual(first?.params);
    if (first) first.params.cells = 'changed';
    expect(second?.params.cells).toBe('64');
  });

  it('expands a 100 x 100 product into 10,000 states', () => {
    const para = validPara('grid-100x100.xml');
    expect(countStates(para)).toBe(10_000);
    const states = expandStates(para);
    expect(states).toHaveLength(10_000);
    expect(states[4321]).toEqual({ index: 4321, label: 'x=43,y=21', params: { x: '43', y: '21' } });
    expect(states[9999]?.label).toBe('x=99,y=99');
  });
});

describe('countStates', () => {
  it('counts without expanding', () => {
    expect(countStates(validPara('product.xml'))).toBe(9);
    expect(countStates(validPara('zip.xml'))).toBe(3);
    expect(countStates(validPara('explicit.xml'))).toBe(3);
    expect(countStates(validPara('product-explicit.xml'))).toBe(4);
    expect(countStates(validPara('two-products.xml'))).toBe(12);
    expect(countStates(validPara('no-states.xml'))).toBe(1);
    expect(countStates(validPara('huge-product.xml'))).toBe(1e12);
  });

  it('is Infinity past Number.MAX_SAFE_INTEGER', () => {
    expect(countStates(parsePara(productOf(100, 10), { file: 'para.xml' }))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('maxStates', () => {
  it('refuses a 10^12 product before building any state', () => {
    const err = errorOf(() => expandStates(validPara('huge-product.xml')));
    expect(err.message).toBe('para.xml makes 1000000000000 states, over the limit of 100000 (maxStates)');
    expect(isMirrorError(err, 'PARA_TOO_MANY_STATES')).toBe(true);
  });

  it('refuses a product too large to count exactly', () => {
    const para = parsePara(productOf(1000, 10), { file: 'para.xml' });
    expect(errorOf(() => expandStates(para)).message).toBe(
      'para.xml makes more than 9007199254740991 states, over the limit of 100000 (maxStates)',
    );
  });

  it('defaults to 100,000 and allows exactly the limit', () => {
    expect(DEFAULT_MAX_STATES).toBe(100_000);
    const over = `<Para><States><Param name="a" values="${Array.from({ length: 11 }, (_, i) => i).join(' ')}"/>
      <Param name="b" values="${Array.from({ length: 9091 }, (_, i) => i).join(' ')}"/></States></Para>`;
    expect(errorOf(() => expandStates(parsePara(over, { file: 'para.xml' }))).message).toBe(
      'para.xml makes 100001 states, over the limit of 100000 (maxStates)',
    );
    const para = validPara('product.xml');
    expect(expandStates(para, { maxStates: 9 })).toHaveLength(9);
    expect(errorOf(() => expandStates(para, { maxStates: 8 })).message).toBe(
      'para.xml makes 9 states, over the limit of 8 (maxStates)',
    );
  });

  it('refuses an unbounded limit on an uncountable product', () => {
    const para = parsePara(productOf(100, 10), { file: 'para.xml' });
    expect(
      isMirrorError(
        errorOf(() => expandStates(para, { maxStates: Infinity })),
        'PARA_TOO_MANY_STATES',
      ),
    ).toBe(true);
  });
});

describe('maxValues', () => {
  it('refuses more values (states times parameters) than the limit', () => {
    expect(DEFAULT_MAX_VALUES).toBe(10_000_000);
    const para = validPara('product.xml');
    expect(expandStates(para, { maxValues: 36 })).toHaveLength(9);
    expect(errorOf(() => expandStates(para, { maxValues: 35 })).message).toBe(
      'para.xml makes 9 states of 4 parameters, 36 values, over the limit of 35 (maxValues)',
    );
  });

  it('refuses many States times many parameters before building them', () => {
    const n = 20_000;
    const defaults = Array.from({ length: n }, (_, i) => `<Param name="p${i}" value="0"/>`).join('');
    const states = Array.from(
      { length: n },
      (_, i) => `<State name="s${i}"><Param name="p${i}" value="1"/></State>`,
    );
    const para = parsePara(`<Para>${defaults}<States>${states.join('')}</States></Para>`, {
      file: 'para.xml',
    });
    expect(countStates(para)).toBe(n);
    expect(errorOf(() => expandStates(para)).message).toBe(
      'para.xml makes 20000 states of 20000 parameters, 400000000 values, over the limit of 10000000 (maxValues)',
    );
  });
});
