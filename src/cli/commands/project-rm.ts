import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withHub } from '../with-hub.js';

export const projectRm: Command = {
  name: 'project rm',
  usage: 'mirror project rm <p_id>',
  summary: 'Delete a project and its files (its jobs keep their rows).',
  async run({ args, config, out }) {
    const id = parseId(args[0], 'p_id');
    await withHub(config, (hub) => hub.projects.delete(id));
    out(`project ${id} deleted`);
  },
};
