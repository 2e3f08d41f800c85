import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { table } from '../table.js';
import { withHub } from '../with-hub.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

export const demo: Command = {
  name: 'demo',
  usage: 'mirror demo',
  summary: 'Register the example heat2d calc package and plate project, and dispatch its sweep.',
  async run({ config, out }) {
    await withHub(config, async (hub) => {
      const calcPackage = await hub.calcPackages.add({ dir: `${examples}calc-packages/heat2d` });
      out(`calc package ${calcPackage.id}: ${calcPackage.name} ${calcPackage.version}`);
      const { project, files } = await hub.projects.createFromDirectory('plate', `${examples}projects/plate`);
      out(`project ${project.id}: ${project.name} (${files.map((f) => f.name).join(', ')})`);
      const reply = await hub.call('jobdispatch', 'do', { p_id: project.id, c_id: calcPackage.id });
      out(`jobdispatch.do(p_id=${project.id}, c_id=${calcPackage.id}) -> ${JSON.stringify(reply)}`);
      if (reply[0] !== 0) throw new CommandFailed(reply[1]);
      const jobs = await hub.store.listJobs({ projectId: project.id, limit: 100 });
      out(
        table(
          ['job', 'state', 'label'],
          jobs.reverse().map((j) => [j.id, j.state, j.label]),
        ),
      );
      out(`store: ${config.store}`);
      out(`file store: ${config.workdir}/files`);
    });
  },
};
