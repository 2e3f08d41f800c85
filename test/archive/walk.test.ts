import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyWalkedFiles, walkDirectory } from '../../src/archive/index.js';
import { scratchDir } from '../support/scratch.js';

const tmp = await scratchDir('mirror-walk-');

let counter = 0;
async function tree(files: Record<string, string>): Promise<string> {
  const root = path.join(tmp, `tree-${++counter}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  await mkdir(root, { recursive: true });
  return root;
}

describe('walkDirectory', () => {
  it('lists regular files sorted, with size and the execute bit', async () => {
    const root = await tree({ 'b/z.txt': 'zz', 'a.txt': 'a', 'b/y.sh': '#!/bin/sh\n' });
    await chmod(path.join(root, 'b/y.sh'), 0o750);
    await mkdir(path.join(root, 'empty-dir'));
    const files = await walkDirectory(root);
    expect(files.map((f) => [f.path, f.size, f.executable])).toEqual([
      ['a.txt', 1, false],
      ['b/y.sh', 10, true],
      ['b/z.txt', 2, false],
    ]);
    expect(files[1]?.absPath).toBe(path.join(root, 'b/y.sh'));
  });

  it('refuses a symbolic link anywhere, naming it', async () => {
    const root = await tree({ 'template/GRID/mesh': 'm' });
    await symlink('/etc/passwd', path.join(root, 'template/GRID/passwd'));
    await expect(walkDirectory(root)).rejects.toThrow(
      `${root}: "template/GRID/passwd" is a symbolic link; only regular files and directories are allowed`,
    );
    const dirLink = await tree({ 'x/a': 'a' });
    await symlink(path.join(dirLink, 'x'), path.join(dirLink, 'y'));
    await expect(walkDirectory(dirLink)).rejects.toThrow(`${dirLink}: "y" is a symbolic link`);
  });

  it('refuses FIFOs and sockets', async () => {
    const root = await tree({ 'a.txt': 'a' });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    await expect(walkDirectory(root)).rejects.toThrow(`${root}: "pipe" is a FIFO; only regular files`);
    const sockRoot = await tree({});
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(sockRoot, 'sock'), resolve));
    try {
      await expect(walkDirectory(sockRoot)).rejects.toThrow(`${sockRoot}: "sock" is a socket`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses names that break the Names rules', async () => {
    const root = await tree({ 'a\\b': 'x' });
    await expect(walkDirectory(root)).rejects.toThrow(`${root}: file "a\\\\b": path contains a backslash`);
  });

  it('refuses two names equal after NFC normalization', async () => {
    const root = await tree({ 'caf\u00e9': '1', 'cafe\u0301': '2' });
    await expect(walkDirectory(root)).rejects.toThrow(
      /are the same name after Unicode normalization \(NFC\)$/,
    );
  });

  it('applies the entry and byte limits', async () => {
    const root = await tree({ a: '12345', b: '12345', c: '1' });
    await expect(walkDirectory(root, { maxEntries: 2 })).rejects.toThrow(`${root}: more than 2 entries`);
    await expect(walkDirectory(root, { maxBytes: 9 })).rejects.toThrow(
      `${root} entry "b": the total size passes the limit of 9 bytes`,
    );
  });
});

describe('copyWalkedFiles', () => {
  it('copies into a fresh directory with modes 0644/0755', async () => {
    const root = await tree({ 'x/a': 'a', 'x/run': 'r' });
    await chmod(path.join(root, 'x/run'), 0o700);
    const dest = path.join(tmp, `copy-${++counter}`);
    await copyWalkedFiles(await walkDirectory(root), dest);
    const copied = await walkDirectory(dest);
    expect(copied.map((f) => [f.path, f.executable])).toEqual([
      ['x/a', false],
      ['x/run', true],
    ]);
  });

  it('refuses a source that became a link after the walk, leaving nothing', async () => {
    const root = await tree({ a: 'a' });
    const files = await walkDirectory(root);
    await rm(path.join(root, 'a'));
    await symlink('/etc/passwd', path.join(root, 'a'));
    const dest = path.join(tmp, `copy-${++counter}`);
    await expect(copyWalkedFiles(files, dest)).rejects.toThrow(`${root}: "a" is a symbolic link`);
    await expect(readdir(dest)).rejects.toThrow(/ENOENT/);
  });
});
