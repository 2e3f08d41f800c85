import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { withHub } from '../with-hub.js';

export const packageAdd: Command = {
  name: 'package add',
  usage: 'mirror package add <dir|file.zip>',
  summary: 'Validate and register a calc package from a directory or a zip.',
  async run({ args, config, out }) {
    const [source] = args;
    if (source === undefined) throw new UsageError('a package directory or zip is needed');
    const path = resolve(source);
    const isDir = (await stat(path)).isDirectory();
    const added = await withHub(config, (hub) => hub.calcPackages.add(isDir ? { dir: path } : { zip: path }));
    out(
      `calc package ${added.id}: ${added.name} ${added.version} (sha256 ${added.sha256.slice(0, 12)}…, ${added.size} bytes)`,
    );
  },
};
