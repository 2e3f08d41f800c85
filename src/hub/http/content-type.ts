import { extname } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
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
};

/** The content type of a job's file, by its name's extension; unknown ones are octet streams. */
export function contentTypeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}
