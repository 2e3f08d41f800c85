import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envName, loadConfig } from '../../src/config/index.js';
import { errorOf } from '../support/error-of.js';

const dir = mkdtempSync(join(tmpdir(), 'mirror-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('has defaults: sqlite store under the workdir, the original exchange name, loopback:8000', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.workdir).toBe(join(dir, 'mirror-work'));
    expect(config.store).toBe(`sqlite:${join(dir, 'mirror-work', 'mirror.db')}`);
    expect(config.rpc.exchange).toBe('mirror_com');
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8000,
      token: '',
      allowInsecure: false,
      allowedHosts: [],
      allowedOrigins: [],
      publicUrl: '',
      requestTimeoutMs: 600_000,
      headersTimeoutMs: 30_000,
      idleTimeoutMs: 120_000,
    });
    expect(config.jobQueue).toBe('mirror-jobs');
    expect(config.limits.jobOutputBytes).toBe(20 * 1024 ** 3);
    expect(config.slots).toBeGreaterThanOrEqual(1);
    expect(config.broker).toBeNull();
    expect(config.autorun).toBe(true);
    expect(config.limits.maxStates).toBe(100_000);
    expect(config.agent.credential).toBe('');
  });

  it('takes a list as a JSON array from a file, comma-separated from env and flags', () => {
    const file = join(dir, 'lists.json');
    writeFileSync(file, JSON.stringify({ http: { allowedHosts: ['mirror.example.org', 'hpc-01:8000'] } }));
    expect(loadConfig({ env: {}, file, cwd: dir }).http.allowedHosts).toEqual([
      'mirror.example.org',
      'hpc-01:8000',
    ]);
    const env = { MIRROR_HTTP_ALLOWED_ORIGINS: ' https://a.example.org, ,https://b.example.org ' };
    expect(loadConfig({ env, cwd: dir }).http.allowedOrigins).toEqual([
      'https://a.example.org',
      'https://b.example.org',
    ]);
    writeFileSync(file, JSON.stringify({ http: { allowedHosts: [1] } }));
    expect(errorOf(() => loadConfig({ env: {}, file, cwd: dir }))).toBe(
      `config key http.allowedHosts (from file ${file}): [1] is not a list of strings (a JSON array, or comma-separated)`,
    );
  });

  it('refuses an agent credential that is short or the same as the user token', () => {
    expect(errorOf(() => loadConfig({ env: { MIRROR_AGENT_CREDENTIAL: 'short' }, cwd: dir }))).toBe(
      'config key agent.credential (from config): is 5 characters; an agent credential needs at least 16',
    );
    const same = 'a-long-shared-secret-value';
    const env = { MIRROR_AGENT_CREDENTIAL: same, MIRROR_HTTP_TOKEN: same };
    expect(errorOf(() => loadConfig({ env, cwd: dir }))).toBe(
      'config key agent.credential (from config): equals http.token; agents and users need credentials of their own',
    );
  });

  it('takes flags over file over env over defaults', () => {
    const file = join(dir, 'mirror.json');
    writeFileSync(file, JSON.stringify({ http: { port: 8100, host: '127.0.0.2' }, autorun: false }));
    const env = {
      MIRROR_HTTP_PORT: '8200',
      MIRROR_HTTP_HOST: '127.0.0.3',
      MIRROR_RID: '5',
      MIRROR_CONFIG: file,
    };
    const config = loadConfig({ env, cwd: dir, flags: { 'http.port': '8300' } });
    expect(config.http.port).toBe(8300);
    expect(config.http.host).toBe('127.0.0.2');
    expect(config.rid).toBe(5);
    expect(config.autorun).toBe(false);
  });

  it('resolves a relative workdir from a file against the file, from env against cwd', () => {
    const file = join(dir, 'rel.json');
    writeFileSync(file, JSON.stringify({ workdir: 'w' }));
    expect(loadConfig({ env: {}, file, cwd: '/' }).workdir).toBe(join(dir, 'w'));
    expect(loadConfig({ env: { MIRROR_WORKDIR: 'x' }, cwd: dir }).workdir).toBe(join(dir, 'x'));
  });

  it('is frozen', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names the key and its source in every error', () => {
    expect(errorOf(() => loadConfig({ env: { MIRROR_HTTP_PORT: 'eighty' }, cwd: dir }))).toBe(
      'config key http.port (from MIRROR_HTTP_PORT): "eighty" is not a whole number',
    );
    expect(errorOf(() => loadConfig({ env: {}, flags: { 'http.port': 70000 }, cwd: dir }))).toBe(
      'config key http.port (from flag --http.port): 70000 is outside 0..65535',
    );
    expect(errorOf(() => loadConfig({ env: { MIRROR_AUTORUN: 'maybe' }, cwd: dir }))).toBe(
      'config key autorun (from MIRROR_AUTORUN): "maybe" is not a boolean (true/false, 1/0)',
    );
    expect(errorOf(() => loadConfig({ env: {}, flags: { colour: 'red' }, cwd: dir }))).toBe(
      'config key colour (from flags): unknown key',
    );
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ http: { prot: 1 } }));
    expect(errorOf(() => loadConfig({ env: {}, file, cwd: dir }))).toBe(
      `config key http.prot (from file ${file}): unknown key`,
    );
    expect(errorOf(() => loadConfig({ env: { MIRROR_STORE: 'mysql://db' }, cwd: dir }))).toBe(
      'config key store (from config): "mysql://db" is neither sqlite:<path> nor postgres://…',
    );
    expect(errorOf(() => loadConfig({ env: { MIRROR_BROKER: 'http://x' }, cwd: dir }))).toBe(
      'config key broker (from config): "http://x" is not an amqp:// URL',
    );
    expect(errorOf(() => loadConfig({ env: {}, file: join(dir, 'none.json'), cwd: dir }))).toMatch(
      /^config file .*none\.json cannot be read: ENOENT/,
    );
  });

  it('maps keys to MIRROR_* names', () => {
    expect(envName('http.allowInsecure')).toBe('MIRROR_HTTP_ALLOW_INSECURE');
    expect(envName('limits.maxStates')).toBe('MIRROR_LIMITS_MAX_STATES');
    expect(envName('rpc.exchange')).toBe('MIRROR_RPC_EXCHANGE');
  });
});
