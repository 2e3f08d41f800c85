// Everything a benchmark makes (temporary directories, databases, virtual hosts,
// processes, open stores) is registered in a scope and undone when the scope closes,
// newest first, whether the figure succeeded or not.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scope {
  /** Runs `undo` when the scope closes (newest first). */
  defer(undo: () => Promise<void> | void): void;
  /** A fresh directory under the system's temp dir, removed when the scope closes. */
  tempDir(prefix: string): Promise<string>;
  /** Undoes everything deferred; an undo that fails is reported and the rest still run. Idempotent. */
  close(): Promise<void>;
}

export function createScope(log: (line: string) => void = (line) => console.error(line)): Scope {
  const undos: (() => Promise<void> | void)[] = [];
  const scope: Scope = {
    defer(undo) {
      undos.push(undo);
    },
    async tempDir(prefix) {
      const dir = await mkdtemp(join(tmpdir(), `mirror-bench-${prefix}-`));
      scope.defer(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    async close() {
      for (let undo = undos.pop(); undo !== undefined; undo = undos.pop()) {
        try {
          await undo();
        } catch (err) {
          log(`cleanup failed: ${(err as Error).message}`);
        }
      }
    },
  };
  return scope;
}
