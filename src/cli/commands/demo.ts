import { fileURLToPath } from 'node:url';
import { createEmbedded, type Embedded } from '../../embedded/index.js';
import type { Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { progressLine } from '../progress-bar.js';
import { table } from '../table.js';
import { processEnv } from '../until-stopped.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

export const demo: Command = {
  name: 'demo',
  usage: 'mirror demo',
  summary: 'Run the example heat2d sweep through the whole lifecycle on the embedded Mirror.',
  async run({ config, out }) {
    const mirror = await createEmbedded({ ...config, autorun: true }, { baseEnv: processEnv() });
    await mirror.start();
    try {
      await runDemo(mirror, out);
    } finally {
      await mirror.stop();
    }
  },
};

/** The environment steps start from: this process's, as the composition root captures it. */

async function runDemo(mirror: Embedded, out: (line: string) => void): Promise<void> {
  const { hub } = mirror;
  out(
    `Mirror embedded: store ${hub.config.store}, rid ${hub.config.rid}, ${hub.config.slots} slots, autorun on`,
  );
  const calcPackage = await hub.calcPackages.add({ dir: `${examples}calc-packages/heat2d` });
  out(
    `calc package ${calcPackage.id}: ${calcPackage.name} ${calcPackage.version} (steps ${calcPackage.info.adapter.steps.map((s) => s.id).join(' → ')})`,
  );
  const { project, files } = await hub.projects.createFromDirectory('plate', `${examples}projects/plate`);
  out(`project ${project.id}: ${project.name} (${files.length} files)`);
  const kwargs = { p_id: project.id, c_id: calcPackage.id, para_name: 'para-demo.xml' };
  const dispatched = await mirror.call('jobdispatch', 'do', kwargs);
  out(
    `jobdispatch.do(p_id=${kwargs.p_id}, c_id=${kwargs.c_id}, para_name='${kwargs.para_name}') -> ${JSON.stringify(dispatched)}`,
  );
  if (dispatched[0] !== 0) throw new CommandFailed(String(dispatched[1]));
  const ids = dispatched[1] as number[];

  await watch(mirror, ids, out);

  const rows = [];
  let allFinished = true;
  for (const id of ids) {
    const job = await hub.store.getJob(id);
    const reply = await mirror.call('jobgetdata', 'do', { job_id: id });
    const data = reply[0] === 0 ? (reply[1] as { result: Record<string, string> }) : { result: {} };
    allFinished &&= job?.state === 'finished';
    rows.push([
      id,
      job?.state ?? '?',
      job?.label ?? '',
      data.result['Tmax'] ?? '-',
      data.result['Tmean'] ?? '-',
      data.result['flux'] ?? '-',
    ]);
  }
  out('');
  out(table(['job', 'state', 'label', 'Tmax', 'Tmean', 'flux'], rows));
  out('');
  const first = await hub.store.getJob(ids[0] ?? 0);
  out(`run directories: ${hub.config.workdir}/jobs/<job id>/ (e.g. ${first?.path ?? '-'})`);
  out(`step logs:       <run directory>/.mirror/logs/<step>.log`);
  out(`result files:    stored in ${hub.config.workdir}/files; jobgetdata gives their URLs on the hub's`);
  out(`                 HTTP address ${hub.baseUrl} (served by the HTTP gateway), e.g.`);
  const sample = await mirror.call('jobgetdata', 'do', { job_id: ids[0] ?? 0 });
  out(`  jobgetdata.do(job_id=${ids[0] ?? 0}) -> ${JSON.stringify(sample)}`);
  out(`dashboard:       \`npx mirror serve --workdir ${hub.config.workdir}\`, then open ${hub.baseUrl}/`);
  if (!allFinished) throw new CommandFailed('not every job finished');
}

/** Prints each job's progress as it changes, until every job has settled. */
async function watch(mirror: Embedded, ids: readonly number[], out: (line: string) => void): Promise<void> {
  const shown = new Map<number, string>();
  for (;;) {
    let settled = 0;
    for (const id of ids) {
      const job = await mirror.hub.store.getJob(id);
      const reply = await mirror.call('jobgetdata', 'do', { job_id: id });
      const process = reply[0] === 0 ? (reply[1] as { process: Record<string, string> }).process : {};
      const line = progressLine(id, job?.state ?? '?', process['currentstep'], process['allstep']);
      if (shown.get(id) !== line) {
        shown.set(id, line);
        out(line);
      }
      if (job && ['finished', 'failed', 'killed'].includes(job.state)) settled++;
    }
    if (settled === ids.length) return;
    await new Promise((r) => setTimeout(r, 400));
  }
}
