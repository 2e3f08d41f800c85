import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const projectUpload: Command = {
  name: 'project upload',
  usage: 'mirror project upload <p_id> <file> [name in project]',
  summary: 'Add a file to a project, or replace the file of that name.',
  arguments: [2, 3],
  async run({ args, config, embedded, out }) {
    const id = parseId(args[0], 'p_id');
    const [, file, name] = args;
    if (file === undefined) throw new UsageError('a file to upload is needed');
    const bytes = await readFile(resolve(file));
    const stored = await withClient(config, embedded, (client) =>
      client.projects.putFile(id, name ?? basename(file), bytes),
    );
    out(`project ${id}: ${stored.name} (${stored.size} bytes, sha256 ${stored.sha256.slice(0, 12)}…)`);
  },
};
