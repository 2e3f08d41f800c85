// What a pre- or post-method starts and leaves running (a daemon in a session of its
// own) ends with its step, as the step's own processes do: the hooks carry the step's
// token. Found by a mark this test made.
import { describe, expect, it } from 'vitest';
import {
  dispatchOne,
  fixturePackage,
  isAlive,
  openEmbedded,
  stateOf,
  until,
} from '../../support/embedded.js';
import { markedPids, newMark } from '../../support/marks.js';

const HOOKS = `
import { spawn } from 'node:child_process';
const leave = (ctx, key) => {
  const daemon = spawn('sleep', ['300'], { detached: true, stdio: 'ignore', env: { ...process.env, MIRROR_TEST_MARK: ctx.params.mark } });
  daemon.unref();
  return { process: { [key]: String(daemon.pid) } };
};
export function pre(ctx) { return leave(ctx, 'pre_daemon'); }
export function post(ctx) { return leave(ctx, 'post_daemon'); }
`;

describe('daemons a hook leaves behind', () => {
  it('are gone once the step has ended, the job finished', async () => {
    const mirror = await openEmbedded();
    const mark = newMark();
    const pkg = await fixturePackage(
      '<ExeArgument id="work" type="shell" value="true" priority="1" premethod="pre" postmethod="post"/>',
      HOOKS,
    );
    const job = await dispatchOne(mirror, pkg, { mark });
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    const items = await mirror.hub.store.listJobItems(job);
    const daemons = items.filter((i) => i.key.endsWith('_daemon')).map((i) => Number(i.value));
    expect(daemons).toHaveLength(2); // both hooks did start one
    for (const pid of daemons) expect(pid).toBeGreaterThan(1);
    expect(await markedPids(mark)).toEqual([]);
    for (const pid of daemons) expect(await isAlive(pid)).toBe(false);
  });
});
