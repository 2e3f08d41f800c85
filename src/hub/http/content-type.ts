import { extname } from 'node:path';

const TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    '.txt': 'text/plain; charset=utf-8',
    '.log': 'text/plain; charset=utf-8',
    '.dat': 'text/plain; charset=utf-8',
    '.csv': 'text/csv; charset=utf-8',
    '.in': 'text/plain; charset=utf-8',
    '.out': 'text/plain; charset=utf-8',
    '.json': 'application/json',
    '.xml': 'application/xml',
    '.zip': 'application/zip',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.pdf': 'application/pdf',
  }),
);

/** The content types a browser may show in its window (inert: no script can run in them). */
export const INLINE_TYPES: ReadonlySet<string> = new Set([
  'text/plain; charset=utf-8',
  'text/csv; charset=utf-8',
  'application/json',
  'image/png',
]);

/** The content type of a job's file, by its name's extension; unknown ones are octet streams. */
export function contentTypeOf(name: string): string {
  return TYPES.get(extname(name).toLowerCase()) ?? 'application/octet-stream';
}
