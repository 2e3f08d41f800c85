import { readFileSync } from 'node:fs';
import { parsePara, type ParaFile } from '../../src/para/index.js';

/** The bytes of `test/fixtures/para/<kind>/<name>`. */
export function fixture(kind: 'valid' | 'invalid', name: string): Uint8Array {
  return readFileSync(new URL(`../fixtures/para/${kind}/${name}`, import.meta.url));
}

/** Parses a valid fixture as `para.xml`. */
export function validPara(name: string): ParaFile {
  return parsePara(fixture('valid', name), { file: 'para.xml' });
}

/** The error `run` throws (failing the test when it throws nothing). */
export function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected an error, none was thrown');
}
