import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { withHub } from '../with-hub.js';

export const projectCreate: Command = {
  name: 'project create',
  usage: 'mirror project create <name> <dir>',
  summary: 'Create a project from every file under a directory.',
  async run({ args, config, out }) {
    const [name, dir] = args;
    if (name === undefined || dir === undefined)
      throw new UsageError('a project name and a directory are needed');
    const { project, files } = await withHub(config, (hub) =>
      hub.projects.createFromDirectory(name, resolve(dir)),
    );
    out(`project ${project.id}: ${project.name} (${files.length} files)`);
  },
};
