// The agent credential: generated once per workdir (a file only its owner reads), the
// same after a restart and for hubs starting together; a configured one wins.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { agentCredentialOf } from '../../src/hub/agent-credential.js';
import { rejectionOf } from '../support/error-of.js';
import { scratchDir } from '../support/scratch.js';

const configFor = (workdir: string, flags: Record<string, string> = {}) =>
  loadConfig({ env: {}, flags: { workdir, ...flags } });

describe('the agent credential', () => {
  it('is generated on first start into <workdir>/agent-credential, mode 0600, and kept', async () => {
    const workdir = await scratchDir('mirror-credential-');
    const first = await agentCredentialOf(configFor(workdir));
    expect(first).toMatch(/^mirror-agent-[A-Za-z0-9_-]{43}$/);
    const file = join(workdir, 'agent-credential');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(await agentCredentialOf(configFor(workdir))).toBe(first);
  });

  it('is the same for hubs that start on one workdir at the same moment', async () => {
    const workdir = await scratchDir('mirror-credential-');
    const all = await Promise.all(Array.from({ length: 8 }, () => agentCredentialOf(configFor(workdir))));
    expect(new Set(all).size).toBe(1);
  });

  it('is the configured one when agent.credential is set, and no file is written', async () => {
    const workdir = await scratchDir('mirror-credential-');
    const configured = 'configured-agent-credential';
    expect(await agentCredentialOf(configFor(workdir, { 'agent.credential': configured }))).toBe(configured);
    await expect(stat(join(workdir, 'agent-credential'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a kept file that is short or equals the user token', async () => {
    const workdir = await scratchDir('mirror-credential-');
    const file = join(workdir, 'agent-credential');
    await writeFile(file, 'user-token-here-long-enough\n');
    const config = configFor(workdir, { 'http.token': 'user-token-here-long-enough' });
    const message = await rejectionOf(agentCredentialOf(config));
    expect(message).toBe(
      `config key agent.credential (from file ${file}): is not a usable agent credential (at least 16 characters, not the user token); remove it to have a new one made`,
    );
  });
});
