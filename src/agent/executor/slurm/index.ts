export { createSlurmExecutor, type SlurmExecutorOptions } from './slurm-executor.js';
export { slurmCommands, type SlurmCommands } from './slurm-commands.js';
