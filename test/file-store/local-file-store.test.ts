import { stat, utimes } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLocalFileStore } from '../../src/file-store/index.js';
import { scratchDir } from '../support/scratch.js';

const root = await scratchDir('mirror-files-');

describe('local file store', () => {
  const files = createLocalFileStore(root);

  it('stores content once, by its sha256', async () => {
    const a = await files.putBytes(new TextEncoder().encode('hello'));
    const b = await files.putBytes(new TextEncoder().encode('hello'));
    expect(a).toEqual(b);
    expect(a.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect((await files.read(a.sha256)).toString()).toBe('hello');
    expect(await files.has(a.sha256)).toBe(true);
  });

  it('sweeps only blobs that are unused and older than the grace period', async () => {
    const used = await files.putBytes(new TextEncoder().encode('used'));
    const fresh = await files.putBytes(new TextEncoder().encode('fresh'));
    const old = await files.putBytes(new TextEncoder().encode('old'));
    const past = new Date(Date.now() - 3_600_000);
    await utimes(files.pathOf(used.sha256), past, past);
    await utimes(files.pathOf(old.sha256), past, past);
    const inUse = (sha: string) => Promise.resolve(sha === used.sha256);
    expect(await files.sweep(inUse, 60_000)).toBeGreaterThanOrEqual(1);
    await expect(stat(files.pathOf(old.sha256))).rejects.toThrow();
    expect(await files.has(used.sha256)).toBe(true);
    expect(await files.has(fresh.sha256)).toBe(true);
  });

  it('refuses a name that is not a sha256', () => {
    expect(() => files.pathOf('../etc/passwd')).toThrow('not a sha256: "../etc/passwd"');
  });
});
