// Hostile parameter values: rendered into a real shell command and a template, each
// stays one harmless literal — no command runs, no second expansion, nothing written
// outside the run directory.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/store/index.js';
import { fixturePackage, openEmbedded, until } from '../support/embedded.js';

/** [case, value]: each must come out of `printf '%s' {v}` byte for byte. */
const VALUES: [string, string][] = [
  ['a semicolon', 'x; touch PWNED'],
  ['command substitution', '$(touch PWNED)'],
  ['backticks', '`touch PWNED`'],
  ['a newline', 'line one\ntouch PWNED'],
  ['single quotes', "it's'; touch PWNED; echo '"],
  ['double quotes', '"; touch PWNED; echo "'],
  ['a pipe and redirection', 'x | tee PWNED > ../PWNED'],
  ['variables', '$HOME ${PATH} $((6*7))'],
  ['globs', '* ../* /etc/*'],
  ['a placeholder of another parameter (no second expansion)', '{w}'],
  ['a very long value', 'x'.repeat(100_000)],
  ['backslashes and dashes', '\\\\ -rf --help \\n'],
];

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, '&#10;');

describe('hostile parameter values, rendered into a real shell command and a template', () => {
  let jobs: (Job | undefined)[];
  let workdir: string;

  beforeAll(async () => {
    const mirror = await openEmbedded({ autorun: 'true', slots: '2' });
    const { hub } = mirror;
    workdir = hub.config.workdir;
    const dir = await fixturePackage(
      `<ExeArgument id="echo" type="shell" value="printf '%s' {v} &gt; out.txt" priority="1"/>
       <Template src="in.tpl" target="in.txt"/>`,
    );
    await writeFile(join(dir, 'template', 'in.tpl'), 'v=[{v}] w=[{w}]\n');
    const packageId = (await hub.calcPackages.add({ dir })).id;
    const para = `<Para><Param name="w" value="W"/><States>${VALUES.map(
      ([, v], i) => `<State name="s${i}"><Param name="v" value="${escapeXml(v)}"/></State>`,
    ).join('')}</States></Para>`;
    const { project } = await hub.projects.create('hostile-values', [
      { name: 'para.xml', data: new TextEncoder().encode(para) },
    ]);
    const ids = await hub.dispatch({ projectId: project.id, packageId, paraName: 'para.xml' });
    jobs = await until(
      () => Promise.all(ids.map((id) => hub.store.getJob(id))),
      (js) => js.every((j) => j?.state === 'finished' || j?.state === 'failed'),
      60_000,
    );
  }, 90_000);

  it.each(VALUES.map(([name, value], i) => [name, value, i] as const))(
    '%s stays one literal, and nothing is injected',
    async (_name, value, i) => {
      const job = jobs[i];
      expect(job?.state).toBe('finished');
      const runDir = job?.path ?? '';
      expect(await readFile(join(runDir, 'out.txt'), 'utf8')).toBe(value);
      expect(await readFile(join(runDir, 'in.txt'), 'utf8')).toBe(`v=[${value}] w=[W]\n`);
      expect((await readdir(runDir)).sort()).toEqual([
        '.mirror',
        'README',
        'in.txt',
        'out.txt',
        'params.json',
      ]);
      // Nothing beside the run directories either.
      expect((await readdir(join(workdir, 'jobs'))).sort()).toEqual(jobs.map((j) => String(j?.id)).sort());
    },
  );
});
