// Stopping an agent is prompt, whatever its jobs are doing: a hook that would run for
// minutes and a step that ignores SIGTERM get SIGTERM, then SIGKILL after
// timing.killGraceMs; their jobs end failed "agent stopped" (never lost), and nothing
// they started is left. Processes are found by a mark this test made.
import { describe, expect, it } from 'vitest';
import { dispatchOne, fixturePackage, openEmbedded, stateOf, until } from '../../support/embedded.js';
import { markedPids, newMark } from '../../support/marks.js';

const HOOKS = `
import { spawn } from 'node:child_process';
export async function hang(ctx) {
  spawn('sleep', ['300'], { stdio: 'ignore', env: { ...process.env, MIRROR_TEST_MARK: ctx.params.mark } });
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}
`;

describe('stopping an agent', () => {
  it.each([
    ['in a pre-method that would run for minutes', 'true', 'premethod="hang"'],
    ['in a step that ignores SIGTERM', 'export MIRROR_TEST_MARK={mark}; ignores-sigterm.sh', ''],
  ])(
    '%s: done long before its own end or timeout, the job failed "agent stopped", nothing left',
    async (_name, value, hook) => {
      const mirror = await openEmbedded({ 'timing.killGraceMs': '500', 'timing.hookTimeoutMs': '600000' });
      const mark = newMark();
      const pkg = await fixturePackage(
        `<ExeArgument id="work" type="shell" value="${value}" priority="1" ${hook}/>`,
        HOOKS,
      );
      const job = await dispatchOne(mirror, pkg, { mark });
      await until(
        () => markedPids(mark),
        (pids) => pids.length > 0,
      );
      expect(await stateOf(mirror, job)).toBe('running');
      const started = performance.now();
      await mirror.agent.stop();
      expect(performance.now() - started).toBeLessThan(10_000); // its hook timeout is 600 s, its step endless
      expect((await mirror.hub.store.listJobEvents(job)).at(-1)).toMatchObject({
        to: 'failed',
        reason: 'agent stopped',
      });
      expect(await markedPids(mark)).toEqual([]);
    },
  );
});
