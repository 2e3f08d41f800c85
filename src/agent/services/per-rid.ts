import {
  defineMethod,
  reply,
  type ArgsOf,
  type ParamSpec,
  type ServiceDefinition,
} from '../../core/index.js';

/**
 * A per-rid seed service (`jobrun_5`): the original addressed one resource machine by
 * putting its rid in the service name. Every one has the single method `do`.
 */
export function perRidService<const P extends readonly ParamSpec[]>(
  base: string,
  rid: number,
  params: P,
  body: (args: ArgsOf<P>) => Promise<unknown>,
): ServiceDefinition {
  return {
    name: `${base}_${rid}`,
    methods: { do: defineMethod(params, (args) => reply(async () => body(args))) },
  };
}

/** The `job_id` parameter every per-rid service takes. */
export const JOB_ID = { name: 'job_id', type: 'id' } as const satisfies ParamSpec;
/** `force`: 0 or 1, default 0 (dirbuild, delete). */
export const FORCE = { name: 'force', type: 'flag', default: 0 } as const satisfies ParamSpec;
