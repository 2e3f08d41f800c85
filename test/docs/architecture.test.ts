// docs/ARCHITECTURE.md names folders and files of the code: each of them exists, so the
// page cannot go on describing a layout that moved.
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/ARCHITECTURE.md', () => {
  it('names only paths that exist', async () => {
    const page = await readFile(`${ROOT}docs/ARCHITECTURE.md`, 'utf8');
    const named = [...new Set([...page.matchAll(/`((?:src|web|test)\/[\w./-]+)`/g)].map((m) => m[1] ?? ''))];
    expect(named.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const path of named) await access(`${ROOT}${path}`).catch(() => missing.push(path));
    expect(missing).toEqual([]);
  });
});
