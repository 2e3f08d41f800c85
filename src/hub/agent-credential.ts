import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MirrorConfig } from '../config/index.js';
import { mirrorError } from '../core/index.js';

/** Where a hub keeps the agent credential it generated: `<workdir>/agent-credential`. */
export function agentCredentialFile(workdir: string): string {
  return join(workdir, 'agent-credential');
}

/**
 * The credential agents present at the hub's `/agent` routes: `agent.credential` when
 * configured; otherwise the one this workdir's hub generated on its first start (32
 * random bytes, written once with mode 0600 and read back ever after, so restarts and a
 * second hub on the same workdir agree). Several hubs on other hosts share one database:
 * configure the same `agent.credential` on each.
 */
export async function agentCredentialOf(config: MirrorConfig): Promise<string> {
  if (config.agent.credential !== '') return config.agent.credential;
  const file = agentCredentialFile(config.workdir);
  await mkdir(dirname(file), { recursive: true });
  const fresh = `mirror-agent-${randomBytes(32).toString('base64url')}`;
  // Written whole under another name, then linked into place: a hub starting at the same
  // moment finds either no file or the complete one, never a half-written one.
  const tmp = `${file}.${randomBytes(6).toString('hex')}`;
  await writeFile(tmp, `${fresh}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(tmp, file);
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  const kept = (await readFile(file, 'utf8')).trim();
  if (kept.length < 16 || kept === config.http.token) {
    throw mirrorError('CONFIG_INVALID', {
      key: 'agent.credential',
      source: `file ${file}`,
      reason:
        'is not a usable agent credential (at least 16 characters, not the user token); remove it to have a new one made',
    });
  }
  return kept;
}
