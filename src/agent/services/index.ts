import type { ServiceDefinition } from '../../core/index.js';
import type { AgentContext } from '../context.js';
import { jobdeleteService } from './jobdelete.js';
import { jobdirbuildService } from './jobdirbuild.js';
import { jobfilebuildService } from './jobfilebuild.js';
import { jobkillService } from './jobkill.js';
import { joblogService } from './joblog.js';
import { jobprocessmonitorService } from './jobprocessmonitor.js';
import { jobresultrecoveryService } from './jobresultrecovery.js';
import { jobrunService } from './jobrun.js';

/** Every per-rid service of one resource machine: the seed verbs, and `joblog` for the hub. */
export function agentServices(ctx: AgentContext): ServiceDefinition[] {
  return [
    jobdirbuildService(ctx),
    jobfilebuildService(ctx),
    jobrunService(ctx),
    jobprocessmonitorService(ctx),
    jobresultrecoveryService(ctx),
    jobkillService(ctx),
    jobdeleteService(ctx),
    joblogService(ctx),
  ];
}
