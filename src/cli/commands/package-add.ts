import { randomBytes } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { walkDirectory, writeZip } from '../../archive/index.js';
import { UsageError, type Command } from '../command.js';
import { withClient } from '../with-client.js';

export const packageAdd: Command = {
  name: 'package add',
  usage: 'mirror package add <dir|file.zip>',
  summary: 'Validate and register a calc package from a directory (zipped here) or a zip.',
  arguments: [1, 1],
  async run({ args, config, embedded, out }) {
    const [source] = args;
    if (source === undefined) throw new UsageError('a package directory or zip is needed');
    const path = resolve(source);
    const zip = (await stat(path)).isDirectory() ? await zipDirectory(path) : undefined;
    try {
      const bytes = await readFile(zip ?? path);
      const added = await withClient(config, embedded, (client) => client.packages.upload(bytes));
      out(
        `calc package ${added.id}: ${added.name} ${added.version} (sha256 ${added.sha256.slice(0, 12)}…, ${added.size} bytes)`,
      );
    } finally {
      if (zip) await rm(zip, { force: true });
    }
  },
};

/** A directory as a temporary zip (links refused), to upload. */
async function zipDirectory(dir: string): Promise<string> {
  const zip = join(tmpdir(), `mirror-package-${randomBytes(8).toString('hex')}.zip`);
  const files = await walkDirectory(dir);
  await writeZip(
    files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
    zip,
  );
  return zip;
}
