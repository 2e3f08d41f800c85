// kill -9 of an agent process in the middle of a pre-method, of a step, and of a
// post-method: nothing the job started outlives it, neither the hooks child nor the
// daemons a hook or the step started (setsid'd, so outside every process group). The
// processes are found by a mark this test made, never by a job id.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { uploadProject, withScaledOut } from '../support/cluster.js';
import { markedPids, newMark } from '../support/marks.js';
import { fixturePackage, isAlive, until } from '../support/embedded.js';
import { describeWithRabbit, rabbitUnavailable } from '../support/rabbit.js';
import { storeBackends } from '../support/stores.js';

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = postgres?.unavailable ?? (await rabbitUnavailable());

/** In the phase the job's `phase` parameter names: start a daemon (its own session) carrying `mark`, note pids, wait long. */
const HOOKS = `
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const hold = (ctx, phase) => {
  const daemon = spawn('sleep', ['300'], { detached: true, stdio: 'ignore', env: { ...process.env, MIRROR_TEST_MARK: ctx.params.mark } });
  daemon.unref();
  writeFileSync(ctx.runDir + '/' + phase + '.pids', process.pid + ' ' + daemon.pid + '\\n');
  return new Promise((resolve) => setTimeout(resolve, 300000));
};
export async function pre(ctx) { if (ctx.params.phase === 'pre') await hold(ctx, 'pre'); }
export async function post(ctx) { if (ctx.params.phase === 'post') await hold(ctx, 'post'); }
`;
const STEP = `#!/bin/sh
# $1: the phase that holds; $2: the mark. In the step phase: a daemon, then a long wait.
[ "$1" = step ] || exit 0
MIRROR_TEST_MARK="$2" setsid sleep 300 &
echo "$$ $!" > "$MIRROR_RUN_DIR/step.pids"
sleep 300
`;

describeWithRabbit('scaled out: an agent killed with kill -9 in the middle of a job', why, () => {
  it.each(['pre', 'step', 'post'])(
    'during the %s phase leaves no process of the job',
    async (phase) => {
      const store = (await postgres?.freshUrl()) ?? '';
      await withScaledOut(store, { 'timing.heartbeatMs': '250' }, async ({ cluster, client }) => {
        const agent = await cluster.startAgent(5, { autorun: 'true' });
        const dir = await fixturePackage(
          '<ExeArgument id="work" type="shell" value="hold.sh {phase} {mark}" priority="1" premethod="pre" postmethod="post"/>',
          HOOKS,
        );
        await writeFile(join(dir, 'bin', 'hold.sh'), STEP, { mode: 0o755 });
        const c = (await client.packages.registerDirectory(dir)).id;
        const mark = newMark();
        const p = await uploadProject(client, `killed-${phase}`, {
          'para.xml': `<Para><Param name="phase" value="${phase}"/><Param name="mark" value="${mark}"/></Para>`,
        });
        const [job = 0] = (await client.dispatch(p, c)).jobIds;
        // The phase has begun: it noted its pids, its daemon carries the mark.
        const path = await until(
          async () => (await client.jobs.get(job)).job.path,
          (dir) => dir !== null,
        );
        const pids = await until(
          async () => (await readFile(join(path ?? '', `${phase}.pids`), 'utf8').catch(() => '')).trim(),
          (text) => text !== '',
        );
        await until(
          () => markedPids(mark),
          (found) => found.length > 0,
        );
        const noted = pids.split(' ').map(Number);
        for (const pid of noted) expect(await isAlive(pid)).toBe(true);

        agent.child.kill('SIGKILL');
        await until(
          async () => ({
            marked: await markedPids(mark),
            alive: await Promise.all(noted.map((pid) => isAlive(pid))),
          }),
          (left) => left.marked.length === 0 && left.alive.every((a) => !a),
          10_000,
        );
      });
    },
    60_000,
  );
});
