import type { HookCall, HookOutcome, HookRunner } from './types.js';

/**
 * Several hook runners behind one: a call goes to the runner with the fewest calls in
 * progress, so a slow hook of one job does not hold up the hooks of the others (an
 * agent sizes it to its slots). Runners are made when first needed; each keeps its
 * own child process.
 */
export function createHookPool(size: number, makeRunner: () => HookRunner): HookRunner {
  const runners: { runner: HookRunner; busy: number }[] = [];
  let closed = false;
  return {
    async run(call: HookCall): Promise<HookOutcome> {
      if (closed) return { kind: 'crashed', reason: 'the hook runner is closed', output: '' };
      let slot = runners.find((r) => r.busy === 0);
      if (!slot && runners.length < Math.max(1, size)) {
        slot = { runner: makeRunner(), busy: 0 };
        runners.push(slot);
      }
      slot ??= runners.reduce((a, b) => (b.busy < a.busy ? b : a));
      slot.busy++;
      try {
        return await slot.runner.run(call);
      } finally {
        slot.busy--;
      }
    },
    async close() {
      closed = true;
      await Promise.all(runners.map((r) => r.runner.close()));
    },
  };
}
