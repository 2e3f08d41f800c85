import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { walkDirectory } from '../../archive/index.js';
import { UsageError, type Command } from '../command.js';
import { withClient } from '../with-client.js';

export const projectCreate: Command = {
  name: 'project create',
  usage: 'mirror project create <name> <dir>',
  summary: 'Create a project from every file under a directory (links refused).',
  arguments: [2, 2],
  async run({ args, config, embedded, out }) {
    const [name, dir] = args;
    if (name === undefined || dir === undefined)
      throw new UsageError('a project name and a directory are needed');
    const files = await walkDirectory(resolve(dir));
    const project = await withClient(config, embedded, async (client) => {
      const created = await client.projects.create(name);
      for (const file of files)
        await client.projects.putFile(created.project.id, file.path, await readFile(file.absPath));
      return created.project;
    });
    out(`project ${project.id}: ${project.name} (${files.length} files)`);
  },
};
