import { SaxesParser } from 'saxes';
import { mirrorError } from '../core/index.js';

/** One element of a parsed XML document, with the line its start tag begins on. */
export interface XmlElement {
  readonly name: string;
  readonly line: number;
  /** Attributes in document order. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Character data directly inside the element, concatenated (whitespace kept). */
  readonly text: string;
}

export interface ParseXmlOptions {
  /** The name errors use for this document, e.g. `adapter.xml`. */
  readonly file: string;
  /** Refuse documents larger than this many bytes. */
  readonly maxBytes: number;
  /** Refuse elements nested deeper than this (the root is depth 1). Default 64. */
  readonly maxDepth?: number;
}

interface Building {
  name: string;
  line: number;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses an untrusted XML document into a tree. Refused, with the file and line named:
 * anything over `maxBytes`, bytes that are not UTF-8, an encoding declaration other than
 * UTF-8, any DOCTYPE (so no entity can be declared), processing instructions, CDATA
 * sections, XInclude, undefined entities, nesting deeper than `maxDepth`.
 */
export function parseXml(source: Uint8Array | string, options: ParseXmlOptions): XmlElement {
  const { file, maxBytes } = options;
  const maxDepth = options.maxDepth ?? 64;
  const size = typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength;
  if (size > maxBytes) throw mirrorError('XML_TOO_LARGE', { file, size, limit: maxBytes });
  const text = typeof source === 'string' ? source : decodeUtf8(source, file);

  const parser = new SaxesParser({ xmlns: false, position: true, fileName: file });
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let tagLine = 1;
  const lineAt = lineFinder(text);
  const forbid = (construct: string): never => {
    throw mirrorError('XML_FORBIDDEN', { file, line: parser.line, construct });
  };

  parser.on('error', (err) => {
    const reason = err.message.replace(/^[^:]*:\d+:\d+: /, '');
    throw mirrorError('XML_MALFORMED', { file, line: parser.line, reason }, err);
  });
  parser.on('xmldecl', (decl) => {
    const encoding = decl.encoding;
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
      throw mirrorError('XML_ENCODING', { file, line: parser.line, encoding });
    }
  });
  parser.on('doctype', () => {
    // Reported where the DOCTYPE begins, not where the parser finished reading it.
    const start = text.lastIndexOf('<!DOCTYPE', parser.position);
    throw mirrorError('XML_FORBIDDEN', {
      file,
      line: start >= 0 ? lineAt(start) : parser.line,
      construct: 'DOCTYPE',
    });
  });
  parser.on('processinginstruction', (pi) => forbid(`processing instruction <?${pi.target}?>`));
  parser.on('cdata', () => forbid('CDATA section'));
  parser.on('opentagstart', () => {
    // The parser has read past the name (maybe past a newline): the tag begins at its '<'.
    tagLine = lineAt(text.lastIndexOf('<', parser.position - 1));
  });
  parser.on('opentag', (tag) => {
    if (/(^|:)include$/.test(tag.name) && tag.name.includes(':')) forbid(`XInclude <${tag.name}>`);
    if (stack.length >= maxDepth) throw mirrorError('XML_TOO_DEEP', { file, line: tagLine, limit: maxDepth });
    const attributes = new Map<string, string>();
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (name.startsWith('xmlns')) forbid(`namespace declaration ${name}`);
      attributes.set(name, value);
    }
    stack.push({ name: tag.name, line: tagLine, attributes, children: [], text: '' });
  });
  parser.on('text', (chars) => {
    const top = stack[stack.length - 1];
    if (top) top.text += chars;
  });
  parser.on('closetag', () => {
    const done = stack.pop();
    if (!done) return;
    const element: XmlElement = done;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
  });

  parser.write(text).close();
  if (!root) throw mirrorError('XML_MALFORMED', { file, line: parser.line, reason: 'no root element' });
  return root;
}

/** A function from a character index of `text` to its 1-based line number. */
function lineFinder(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xfe || bytes[0] === 0xff || bytes[0] === 0x00) {
    throw mirrorError('XML_ENCODING', { file, line: 1, encoding: 'UTF-16 or UTF-32' });
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    const line = lineOfFirstInvalidByte(bytes);
    throw mirrorError('XML_ENCODING', { file, line, encoding: 'not valid UTF-8' });
  }
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      try {
        UTF8.decode(bytes.subarray(start, i + 1));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
