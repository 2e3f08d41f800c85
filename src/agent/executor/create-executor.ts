import type { MirrorConfig } from '../../config/index.js';
import type { Executor } from './executor.js';
import { createLocalExecutor } from './local/index.js';
import { createSlurmExecutor } from './slurm/index.js';

/** The executor the config names (`executor.kind`): the one place that knows the kinds. */
export function createExecutor(config: MirrorConfig, log: (line: string) => void): Executor {
  switch (config.executor.kind) {
    case 'slurm':
      return createSlurmExecutor({
        ...config.slurm,
        ...(config.slurm.conf !== '' ? { conf: config.slurm.conf } : {}),
        log: (line) => log(`slurm: ${line}`),
      });
    default:
      return createLocalExecutor();
  }
}
