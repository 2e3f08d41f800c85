import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh run directory in the system's temp dir, with helpers to fill it. */
export interface RunDir {
  readonly dir: string;
  write(rel: string, content: string | Buffer): Promise<void>;
  link(rel: string, target: string): Promise<void>;
  fifo(rel: string): Promise<void>;
  remove(): Promise<void>;
}

export async function makeRunDir(): Promise<RunDir> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'mirror-monitor-')));
  const at = async (rel: string): Promise<string> => {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    return abs;
  };
  return {
    dir,
    write: async (rel, content) => writeFile(await at(rel), content),
    link: async (rel, target) => symlink(target, await at(rel)),
    fifo: async (rel) => {
      execFileSync('mkfifo', [await at(rel)]);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An adapter.xml with one step and the given monitor elements. */
export function adapterXml(elements: string): string {
  return `<Adapter name="t" version="1">
  <ExeArgument id="flow" type="shell" value="solve" workpath="FLOW" priority="1"/>
  ${elements}
</Adapter>`;
}
