import {
  placeholderUses,
  renderText,
  runPathProblem,
  stepResources,
  type PackageInfo,
} from '../../calc-package/index.js';
import { mirrorError } from '../../core/index.js';
import type { ParaState } from '../../para/index.js';
import type { NewJob } from '../../store/index.js';

export interface PlanInput {
  readonly paraName: string;
  readonly projectId: number;
  readonly info: PackageInfo;
  readonly states: readonly ParaState[];
  /** Names of the project's files. */
  readonly projectFiles: ReadonlySet<string>;
}

/**
 * Checks that every state gives a job everything it will need, and makes the jobs.
 * For each state: every placeholder of the package resolves; every copy rule's file,
 * as rendered, is a project file; every run-directory path, as rendered, stays inside
 * the run directory and out of `.mirror/`. The first failure is an error naming the
 * para file, the state and the value; nothing is made.
 */
export function planJobs(input: PlanInput): NewJob[] {
  const { paraName: para, projectId, info, states, projectFiles } = input;
  const uses = placeholderUses(info);
  const pathUses = uses.filter((u) => u.isRunPath);
  return states.map((state) => {
    const where = stateName(state);
    for (const use of uses) {
      for (const name of use.names) {
        if (!Object.prototype.hasOwnProperty.call(state.params, name)) {
          throw mirrorError('DISPATCH_UNRESOLVED', {
            para,
            state: where,
            placeholder: `{${name}}`,
            where: use.where,
          });
        }
      }
    }
    for (const rule of info.adapter.files) {
      const file = renderText(rule.name, state.params);
      if (!projectFiles.has(file)) {
        throw mirrorError('DISPATCH_MISSING_FILE', { para, state: where, file, project: projectId });
      }
    }
    for (const use of pathUses) {
      const path = renderText(use.text, state.params);
      const reason = runPathProblem(path, use.mayReadLogs ? 'logs' : 'none');
      if (reason !== undefined) {
        throw mirrorError('DISPATCH_BAD_PATH', {
          para,
          state: where,
          where: use.where,
          path: JSON.stringify(path),
          reason,
        });
      }
    }
    for (const step of info.adapter.steps) {
      stepResources(step, state.params, (attribute, value, reason) =>
        mirrorError('DISPATCH_BAD_RESOURCE', {
          para,
          state: where,
          step: step.id,
          attribute,
          value: JSON.stringify(value),
          reason,
        }),
      );
    }
    return { stateIndex: state.index, label: state.label, params: state.params };
  });
}

/** `3 (mach=0.7,alpha=2)`, or just the index when the label is empty. */
function stateName(state: ParaState): string {
  return state.label === '' ? String(state.index) : `${state.index} (${state.label})`;
}
