import { reply, type Args, type ParamSpec, type ServiceDefinition } from '../../core/index.js';

/**
 * A per-rid seed service (`jobrun_5`): the original addressed one resource machine by
 * putting its rid in the service name. Every one has the single method `do`.
 */
export function perRidService(
  base: string,
  rid: number,
  params: readonly ParamSpec[],
  body: (args: Args) => Promise<unknown>,
): ServiceDefinition {
  return {
    name: `${base}_${rid}`,
    methods: { do: { params, call: (args) => reply(async () => body(args)) } },
  };
}

/** The `job_id` parameter every per-rid service takes. */
export const JOB_ID: ParamSpec = { name: 'job_id', type: 'id' };
/** `force`: 0 or 1, default 0 (dirbuild, delete). */
export const FORCE: ParamSpec = { name: 'force', type: 'flag', default: 0 };
