// The machine a run was taken on, for the report: benchmark figures mean little
// without it.
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  /** Which services the run found (PostgreSQL, RabbitMQ). */
  readonly services: string;
}

export function machineInfo(services: string): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    ramGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${release()}`,
    node: process.version,
    services,
  };
}
