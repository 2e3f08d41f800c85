import { defineMethod, reply, type ServiceDefinition } from '../../core/index.js';
import { dispatchProject, type DispatchDeps } from '../dispatch/dispatch.js';

/**
 * `jobdispatch.do(p_id, c_id, para_name="para.xml")`: splits a project into one job per
 * para state and queues them. Answers `[0, [job ids]]` or `[-1, message]`.
 */
export function jobdispatchService(deps: DispatchDeps): ServiceDefinition {
  return {
    name: 'jobdispatch',
    methods: {
      do: defineMethod(
        [
          { name: 'p_id', type: 'id' },
          { name: 'c_id', type: 'id' },
          { name: 'para_name', type: 'string', default: 'para.xml' },
        ],
        (args) =>
          reply(() =>
            dispatchProject(deps, { projectId: args.p_id, packageId: args.c_id, paraName: args.para_name }),
          ),
      ),
    },
  };
}
