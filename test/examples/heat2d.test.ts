// The heat2d example calc package and the plate project, run by hand the way Mirror runs a
// job: copy template/ into a run directory, write params.json, render the Template, apply
// the File rules, run each step's value with /bin/sh -c in its workpath (bin/ first on PATH,
// stdout and stderr into .mirror/logs/<step>.log), call the solve step's postmethod, and read
// Progress and Output with the adapter's own patterns. Nothing is imported from src/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, cp, mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import RE2 from 're2';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const pkgDir = path.join(examples, 'calc-packages', 'heat2d');
const binDir = path.join(pkgDir, 'bin');
const projectDir = path.join(examples, 'projects', 'plate');

// ---------------------------------------------------------------------------------------
// Reading the package and the para files (a few regular expressions suffice for our own files).

type Attrs = Record<string, string>;

interface Step {
  id: string;
  value: string;
  workpath: string;
  priority: number;
  postmethod?: string;
  timeout?: number;
}

interface Adapter {
  name: string;
  steps: Step[];
  files: Attrs[];
  templates: Attrs[];
  progress: Attrs;
  process: Attrs[];
  results: Attrs[];
  outputs: Attrs[];
}

function stripComments(xml: string): string {
  return xml.replace(/<!--[\s\S]*?-->/g, '');
}

function elements(xml: string, tag: string): Attrs[] {
  const found: Attrs[] = [];
  for (const m of stripComments(xml).matchAll(new RegExp(`<${tag}\\s([^>]*?)/?>`, 'g'))) {
    const attrs: Attrs = {};
    for (const a of (m[1] ?? '').matchAll(/([A-Za-z_]\w*)="([^"]*)"/g)) attrs[a[1] ?? ''] = a[2] ?? '';
    found.push(attrs);
  }
  return found;
}

function need(attrs: Attrs, key: string): string {
  const v = attrs[key];
  if (v === undefined) throw new Error(`missing attribute ${key} in ${JSON.stringify(attrs)}`);
  return v;
}

async function readAdapter(): Promise<Adapter> {
  const xml = await readFile(path.join(pkgDir, 'adapter.xml'), 'utf8');
  const [root] = elements(xml, 'Adapter');
  const [progress] = elements(xml, 'Progress');
  if (!root || !progress) throw new Error('adapter.xml has no Adapter or no Progress');
  const steps = elements(xml, 'ExeArgument')
    .map((a) => ({
      id: need(a, 'id'),
      value: need(a, 'value'),
      workpath: need(a, 'workpath'),
      priority: Number(need(a, 'priority')),
      ...(a.postmethod !== undefined ? { postmethod: a.postmethod } : {}),
      ...(a.timeout !== undefined ? { timeout: Number(a.timeout) } : {}),
    }))
    .sort((a, b) => a.priority - b.priority);
  return {
    name: need(root, 'name'),
    steps,
    files: elements(xml, 'File'),
    templates: elements(xml, 'Template'),
    progress,
    process: elements(xml, 'Process'),
    results: elements(xml, 'Result'),
    outputs: elements(xml, 'Output'),
  };
}

type Params = Record<string, string>;

interface Para {
  defaults: Params;
  rule: string;
  lists: [string, string[]][];
}

async function readPara(name: string): Promise<Para> {
  const xml = stripComments(await readFile(path.join(projectDir, name), 'utf8'));
  const statesMatch = /<States(?:\s+rule="(\w+)")?\s*>([\s\S]*?)<\/States>/.exec(xml);
  const outside = statesMatch ? xml.replace(statesMatch[0], '') : xml;
  const defaults: Params = {};
  for (const a of elements(outside, 'Param')) defaults[need(a, 'name')] = need(a, 'value');
  const lists = elements(statesMatch?.[2] ?? '', 'Param').map((a): [string, string[]] => [
    need(a, 'name'),
    need(a, 'values').trim().split(/\s+/),
  ]);
  return { defaults, rule: statesMatch?.[1] ?? 'product', lists };
}

/** The states of a para file, numbered like nested loops (the last list varies fastest). */
function expandStates(para: Para): Params[] {
  if (para.rule === 'zip') {
    const len = para.lists[0]?.[1].length ?? 1;
    for (const [name, values] of para.lists) {
      if (values.length !== len) throw new Error(`zip list ${name} has ${values.length} values, not ${len}`);
    }
    return Array.from({ length: len }, (_, i) => {
      const state: Params = { ...para.defaults };
      for (const [name, values] of para.lists) state[name] = values[i] ?? '';
      return state;
    });
  }
  let states: Params[] = [{ ...para.defaults }];
  for (const [name, values] of para.lists) {
    states = states.flatMap((s) => values.map((v) => ({ ...s, [name]: v })));
  }
  return states;
}

/**
 * Renders text the way DESIGN.md says: `{name}` (an identifier) is the parameter, `${...}`
 * is copied verbatim up to its matching brace, `{{name}}` writes `{name}`, any other brace is
 * literal. An unknown name throws, as it fails a dispatch.
 */
function render(text: string, params: Params, quote: (v: string) => string = (v) => v): string {
  return renderWith(text, (name) => {
    const value = params[name];
    if (value === undefined) throw new Error(`unknown parameter {${name}}`);
    return quote(value);
  });
}

function renderWith(text: string, lookup: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const escaped = /^\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/.exec(text.slice(i, i + 300));
    if (escaped) {
      out += `{${escaped[1]}}`;
      i += escaped[0].length;
      continue;
    }
    const placeholder = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(text.slice(i, i + 300));
    if (placeholder) {
      out += lookup(placeholder[1] ?? '');
      i += placeholder[0].length;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

/** The parameter names that `text` uses. */
function placeholders(text: string): string[] {
  const names = new Set<string>();
  renderWith(text, (name) => {
    names.add(name);
    return '';
  });
  return [...names];
}

const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** The value of the last line of `text` that `pattern` matches, as Mirror reads items. */
function lastMatch(text: string, pattern: string): RegExpExecArray | undefined {
  const re = new RE2(pattern);
  let found: RegExpExecArray | undefined;
  for (const line of text.split('\n')) found = re.exec(line) ?? found;
  return found;
}

// ---------------------------------------------------------------------------------------
// Running a job.

interface Job {
  runDir: string;
  params: Params;
  jobId: number;
}

interface StepRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  ms: number;
}

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mirror-heat2d-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** dirbuild + filebuild: the template, params.json, rendered templates, File copy rules. */
async function buildJob(adapter: Adapter, params: Params, jobId = 7): Promise<Job> {
  const runDir = await tempDir();
  await cp(path.join(pkgDir, 'template'), runDir, { recursive: true });
  await mkdir(path.join(runDir, '.mirror', 'logs'), { recursive: true });
  await writeFile(path.join(runDir, 'params.json'), JSON.stringify(params, null, 2));
  for (const t of adapter.templates) {
    const src = need(t, 'src');
    const text = await readFile(path.join(pkgDir, 'template', src), 'utf8');
    const target = path.join(runDir, render(need(t, 'target'), params));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, render(text, params));
    await rm(path.join(runDir, src));
  }
  for (const f of adapter.files) {
    const target = path.join(runDir, render(need(f, 'target'), params));
    if (f.create === '1') await mkdir(path.dirname(target), { recursive: true });
    await cp(path.join(projectDir, render(need(f, 'name'), params)), target);
  }
  return { runDir, params, jobId };
}

function stepEnv(job: Job, stepId: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    MIRROR_JOB_ID: String(job.jobId),
    MIRROR_RUN_DIR: job.runDir,
    MIRROR_STEP: stepId,
    MIRROR_PARAMS: path.join(job.runDir, 'params.json'),
  };
}

/** Runs `command` with /bin/sh -c in `cwd`, stdout and stderr into `logFile`. */
async function runShell(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  whileRunning?: (exited: () => boolean) => Promise<void>,
): Promise<StepRun> {
  await mkdir(cwd, { recursive: true });
  const log = await open(logFile, 'w');
  const started = performance.now();
  try {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', log.fd, log.fd] });
    let done = false;
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        done = true;
        resolve([code, signal]);
      });
    });
    if (whileRunning) await whileRunning(() => done);
    const [code, signal] = await exit;
    return { code, signal, ms: performance.now() - started, log: await readFile(logFile, 'utf8') };
  } finally {
    await log.close();
  }
}

async function runStep(job: Job, step: Step, whileRunning?: (exited: () => boolean) => Promise<void>) {
  const command = render(step.value, job.params, shellQuote);
  const logFile = path.join(job.runDir, '.mirror', 'logs', `${step.id}.log`);
  return runShell(
    command,
    path.join(job.runDir, step.workpath),
    stepEnv(job, step.id),
    logFile,
    whileRunning,
  );
}

interface HookContext {
  jobId: number;
  projectId: number;
  packageId: number;
  rid: number;
  step: { id: string; workpath: string };
  params: Params;
  runDir: string;
  stepDir: string;
}

interface HookResult {
  process?: Record<string, string>;
  result?: Record<string, string>;
}

type Hook = (ctx: HookContext) => Promise<HookResult>;

async function loadHooks(): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(path.join(pkgDir, 'hooks.mjs')).href)) as Record<string, unknown>;
}

async function hook(name: string): Promise<Hook> {
  const fn = (await loadHooks())[name];
  if (typeof fn !== 'function') throw new Error(`hooks.mjs exports no function ${name}`);
  return fn as Hook;
}

function hookContext(job: Job, step: Step): HookContext {
  return {
    jobId: job.jobId,
    projectId: 1,
    packageId: 1,
    rid: 1,
    step: { id: step.id, workpath: step.workpath },
    params: job.params,
    runDir: job.runDir,
    stepDir: path.join(job.runDir, step.workpath),
  };
}

interface JobRun {
  job: Job;
  steps: Record<string, StepRun>;
  hooks: Record<string, HookResult>;
  ms: number;
}

/** A whole job: build, then every step in priority order with its postmethod; stops at a failure. */
async function runJob(adapter: Adapter, params: Params, jobId = 7): Promise<JobRun> {
  const started = performance.now();
  const job = await buildJob(adapter, params, jobId);
  const steps: Record<string, StepRun> = {};
  const hooks: Record<string, HookResult> = {};
  for (const step of adapter.steps) {
    const run = await runStep(job, step);
    steps[step.id] = run;
    if (run.code !== 0) break;
    if (step.postmethod) hooks[step.id] = await (await hook(step.postmethod))(hookContext(job, step));
  }
  return { job, steps, hooks, ms: performance.now() - started };
}

function stepOf(adapter: Adapter, id: string): Step {
  const step = adapter.steps.find((s) => s.id === id);
  if (!step) throw new Error(`adapter.xml has no step ${id}`);
  return step;
}

async function readRun(job: Job, file: string): Promise<string> {
  return readFile(path.join(job.runDir, file), 'utf8');
}

function residualRows(text: string): [number, number][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cols = line.trim().split(/\s+/).map(Number);
      return [cols[0] ?? NaN, cols[1] ?? NaN];
    });
}

async function outputs(adapter: Adapter, job: Job): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const o of adapter.outputs) {
    const m = lastMatch(await readRun(job, render(need(o, 'file'), job.params)), need(o, 'pattern'));
    values[need(o, 'key')] = Number(m?.[1]);
  }
  return values;
}

async function summaryValue(job: Job, key: string): Promise<number> {
  return Number(lastMatch(await readRun(job, 'POST/summary.txt'), `^${key}\\s*=\\s*(\\S+)`)?.[1]);
}

/**
 * Heat leaving the bottom of a unit square whose top is dT above the other three sides, per
 * k dT: the Fourier series sum over odd n of 8 / (n pi sinh(n pi)).
 */
function exactBottomFlux(): number {
  let sum = 0;
  for (let n = 1; n < 40; n += 2) sum += 8 / (n * Math.PI * Math.sinh(n * Math.PI));
  return sum;
}

// ---------------------------------------------------------------------------------------

describe('heat2d calc package: its files', () => {
  it('has executable bin programs with node shebangs, a template skeleton and hooks', async () => {
    for (const name of ['heat2d-mesh', 'heat2d-solve', 'heat2d-post']) {
      const file = path.join(binDir, name);
      await access(file, constants.X_OK);
      expect((await readFile(file, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
    }
    for (const f of ['MESH/.keep', 'POST/.keep', 'SOLVE/solver.in.tpl']) {
      expect((await stat(path.join(pkgDir, 'template', f))).isFile()).toBe(true);
    }
    const hooks = await loadHooks();
    expect(typeof hooks.solvePost).toBe('function');
  });

  it.each(['commonjs', 'module'])('runs its programs from a copy in a %s package scope', async (type) => {
    // Mirror runs bin/ from .mirror/calc in the run directory, wherever that is: the
    // extensionless launchers must work whichever module type the nearest package.json says.
    const dir = await tempDir();
    await cp(pkgDir, path.join(dir, 'heat2d'), { recursive: true });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type }));
    const log = path.join(dir, 'mesh.log');
    const env = {
      ...process.env,
      PATH: `${path.join(dir, 'heat2d', 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    };
    const run = await runShell('heat2d-mesh --cells 8', dir, env, log);
    expect(run.code, run.log).toBe(0);
    expect(await readFile(path.join(dir, 'grid.dat'), 'utf8')).toMatch(/^cells\s+8;$/m);
  });

  it('declares mesh, solve and post in priority order, with a timeout and a postmethod of hooks.mjs', async () => {
    const adapter = await readAdapter();
    expect(adapter.name).toBe('heat2d');
    expect(adapter.steps.map((s) => [s.id, s.workpath])).toEqual([
      ['mesh', 'MESH'],
      ['solve', 'SOLVE'],
      ['post', 'POST'],
    ]);
    const solve = stepOf(adapter, 'solve');
    expect(solve.timeout).toBeGreaterThan(0);
    expect(solve.postmethod).toBe('solvePost');
    const hooks = await loadHooks();
    for (const step of adapter.steps) {
      if (step.postmethod) expect(typeof hooks[step.postmethod]).toBe('function');
    }
    expect(adapter.templates).toEqual([{ src: 'SOLVE/solver.in.tpl', target: 'SOLVE/solver.in' }]);
    expect(adapter.files).toEqual([
      { name: '{material}', target: 'SOLVE/{material}', create: '1', unzip: '0' },
    ]);
    expect(adapter.progress.file).toBe('.mirror/logs/solve.log');
    expect(adapter.outputs.map((o) => o.key)).toEqual(['Tmax', 'Tmean', 'flux']);
    // Item keys are unique, and distinct from the keys the hook adds.
    const keys = [...adapter.process, ...adapter.results, ...adapter.outputs].map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of ['converged', 'iterations', 'final_residual']) expect(keys).not.toContain(k);
  });

  it('uses RE2-compatible patterns and paths that stay inside the run directory', async () => {
    const adapter = await readAdapter();
    const patterns = [adapter.progress, ...adapter.outputs].map((a) => need(a, 'pattern'));
    for (const p of patterns) expect(() => new RE2(p)).not.toThrow();
    expect(
      lastMatch('x\nIter 3 of 400  residual 1e-3\nIter 4 of 400  residual 9e-4\n', patterns[0] ?? '')?.slice(
        1,
      ),
    ).toEqual(['4', '400']);
    const paths = [
      ...adapter.steps.map((s) => s.workpath),
      ...adapter.files.map((f) => need(f, 'target')),
      ...adapter.templates.flatMap((t) => [need(t, 'src'), need(t, 'target')]),
      ...[adapter.progress, ...adapter.process, ...adapter.results, ...adapter.outputs].map((i) =>
        need(i, 'file'),
      ),
    ];
    for (const p of paths) {
      expect(path.isAbsolute(p)).toBe(false);
      expect(p.split('/')).not.toContain('..');
      if (p.startsWith('.mirror/')) expect(p.startsWith('.mirror/logs/')).toBe(true);
    }
  });

  it('para.xml is a 2 x 2 product and para-zip.xml 3 zipped states, every placeholder resolved', async () => {
    const adapterXml = await readFile(path.join(pkgDir, 'adapter.xml'), 'utf8');
    const template = await readFile(path.join(pkgDir, 'template', 'SOLVE', 'solver.in.tpl'), 'utf8');
    const used = new Set([
      ...elements(adapterXml, '[A-Z][A-Za-z]*').flatMap((a) =>
        Object.values(a).flatMap((v) => placeholders(v)),
      ),
      ...placeholders(template),
    ]);
    expect([...used].sort()).toEqual(
      [
        'cells',
        'delay_ms',
        'fourier',
        'iterations',
        'length',
        'material',
        'omega',
        'scheme',
        'source',
        't_bottom',
        't_init',
        't_left',
        't_right',
        't_top',
        'tolerance',
      ].sort(),
    );

    const product = expandStates(await readPara('para.xml'));
    expect(product.map((s) => [s.t_top, s.cells])).toEqual([
      ['100', '32'],
      ['100', '48'],
      ['200', '32'],
      ['200', '48'],
    ]);
    const zip = await readPara('para-zip.xml');
    expect(zip.rule).toBe('zip');
    const zipped = expandStates(zip);
    expect(zipped.map((s) => [s.material, s.t_top])).toEqual([
      ['copper.mat', '100'],
      ['aluminium.mat', '150'],
      ['steel.mat', '200'],
    ]);
    for (const state of [...product, ...zipped]) {
      for (const name of used) expect(state[name], `${name} in ${JSON.stringify(state)}`).toBeDefined();
      await access(path.join(projectDir, state.material ?? ''), constants.R_OK);
    }
  });

  it('renders solver.in with its placeholders filled and its literal braces, ${...} and {{name}} kept', async () => {
    const adapter = await readAdapter();
    const [state] = expandStates(await readPara('para.xml'));
    const job = await buildJob(adapter, state ?? {});
    const text = await readRun(job, 'SOLVE/solver.in');
    expect(text).toMatch(/^ {4}top\s+\{ type fixedValue;\s+value 100; \}$/m);
    expect(text).toMatch(/^ {4}bottom\s+\{ type fixedValue;\s+value 20; \}$/m);
    expect(text).toMatch(/^solver\n\{\n/m);
    expect(text).toContain('title       "heat2d job ${MIRROR_JOB_ID:-local}";');
    expect(text).toContain('"{scheme} iteration on {cells} x {cells} cells of {material}"');
    expect(text).toContain('material    "copper.mat";');
    await expect(stat(path.join(job.runDir, 'SOLVE', 'solver.in.tpl'))).rejects.toThrow();
    await access(path.join(job.runDir, 'SOLVE', 'copper.mat'), constants.R_OK);
  });
});

describe('heat2d: the four jobs of para.xml, run like Mirror', () => {
  let adapter: Adapter;
  let runs: JobRun[] = [];

  beforeAll(async () => {
    adapter = await readAdapter();
    const states = expandStates(await readPara('para.xml'));
    runs = [];
    for (const [i, state] of states.entries()) runs.push(await runJob(adapter, state, 11 + i));
  });

  it('runs every step to exit 0, each job in well under 3 seconds', () => {
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      for (const id of ['mesh', 'solve', 'post']) {
        expect(run.steps[id]?.code, `${id}: ${run.steps[id]?.log}`).toBe(0);
      }
      const solving = Number(/in ([\d.]+) s of solving/.exec(run.steps.solve?.log ?? '')?.[1]);
      expect(solving).toBeLessThan(2);
      expect(run.ms).toBeLessThan(15_000); // wall time, generous for a loaded machine
    }
  });

  it('prints "Iter i of n" with n = iterations, read by the Progress pattern', async () => {
    for (const { job } of runs) {
      const log = await readRun(job, '.mirror/logs/solve.log');
      const iters = [...log.matchAll(/^Iter (\d+) of (\d+) {2}residual (\S+)$/gm)];
      expect(iters.length).toBeGreaterThan(20);
      expect(iters.every((m) => m[2] === job.params.iterations)).toBe(true);
      expect(iters.map((m) => Number(m[1]))).toEqual(iters.map((_, i) => i + 1));
      const progress = lastMatch(log, need(adapter.progress, 'pattern'));
      expect(progress?.[2]).toBe('400');
      expect(Number(progress?.[1])).toBe(iters.length);
      expect(log).toMatch(/^Converged in \d+ iterations/m);
    }
  });

  it('expands ${MIRROR_JOB_ID} in the title and its own {name}s in the banner', async () => {
    const second = runs[1];
    if (!second) throw new Error('the second job did not run');
    const log = await readRun(second.job, '.mirror/logs/solve.log');
    expect(log.split('\n').slice(0, 2)).toEqual([
      'heat2d job 12',
      'sor iteration on 48 x 48 cells of copper',
    ]);
  });

  it('writes residuals.dat: numeric iter/residual lines, decreasing overall', async () => {
    for (const { job } of runs) {
      const rows = residualRows(await readRun(job, 'SOLVE/residuals.dat'));
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.flat().every(Number.isFinite)).toBe(true);
      expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => i + 1));
      const res = rows.map((r) => r[1]);
      const [first, last] = [res[0] ?? 0, res.at(-1) ?? 1];
      expect(last).toBeLessThan(first / 1000);
      expect(last).toBeLessThanOrEqual(Number(job.params.tolerance));
      // Mostly decreasing: later quarters are below earlier ones.
      const q = Math.floor(res.length / 4);
      expect(Math.max(...res.slice(3 * q))).toBeLessThan(Math.min(...res.slice(0, q)));
    }
  });

  it('writes the field with (cells + 1)^2 nodes and the boundary values on the edges', async () => {
    for (const { job } of runs) {
      const text = await readRun(job, 'SOLVE/field.dat');
      const rows = text
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('#'))
        .map((l) => l.split(' ').map(Number));
      const M = Number(job.params.cells) + 1;
      expect(rows).toHaveLength(M * M);
      const top = Number(job.params.t_top);
      for (const [x, y, t] of rows) {
        if (y === 1 && x !== 0 && x !== 1) expect(t).toBe(top);
        if (y === 0) expect(t).toBe(20);
        expect(t).toBeGreaterThanOrEqual(20);
        expect(t).toBeLessThanOrEqual(top);
      }
    }
  });

  it('writes summary.txt whose Outputs are physically right', async () => {
    const exact = exactBottomFlux();
    for (const { job } of runs) {
      const out = await outputs(adapter, job);
      const top = Number(job.params.t_top);
      const k = 401; // copper.mat
      expect(out.Tmax).toBeGreaterThan(20);
      expect(out.Tmax).toBeLessThan(top);
      // By superposition of the four rotated problems, the mean and the centre are exactly
      // a quarter of the way from the cold sides to the hot one.
      expect(out.Tmean).toBeCloseTo(20 + (top - 20) / 4, 2);
      expect(await summaryValue(job, 'Tcenter')).toBeCloseTo(20 + (top - 20) / 4, 2);
      expect(await summaryValue(job, 'Tmin')).toBeGreaterThan(20);
      // The heat leaving through the bottom matches the Fourier series within discretization error.
      expect(Math.abs((out.flux ?? 0) / (k * (top - 20)) - exact) / exact).toBeLessThan(0.02);
      const summary = await readRun(job, 'POST/summary.txt');
      expect(summary).toMatch(/^converged = yes$/m);
    }
  });

  it('has its solvePost hook report convergence', async () => {
    for (const run of runs) {
      const [iter, residual] = residualRows(await readRun(run.job, 'SOLVE/residuals.dat')).at(-1) ?? [
        NaN,
        NaN,
      ];
      expect(run.hooks.solve).toEqual({
        process: { converged: 'yes', iterations: String(iter), final_residual: residual.toExponential(3) },
      });
    }
  });
});

describe('heat2d: the three zipped jobs of para-zip.xml', () => {
  it('gives Tmean = T0 + dT / 4 in every material and a flux proportional to conductivity', async () => {
    const adapter = await readAdapter();
    const states = expandStates(await readPara('para-zip.xml'));
    const conductivity: Record<string, number> = {
      'copper.mat': 401,
      'aluminium.mat': 237,
      'steel.mat': 16.2,
    };
    const ratios: number[] = [];
    for (const state of states) {
      const run = await runJob(adapter, state);
      expect(run.steps.post?.code, JSON.stringify(run.steps)).toBe(0);
      const out = await outputs(adapter, run.job);
      const dT = Number(state.t_top) - 20;
      expect(out.Tmean).toBeCloseTo(20 + dT / 4, 2);
      ratios.push((out.flux ?? 0) / ((conductivity[state.material ?? ''] ?? NaN) * dT));
      expect(run.hooks.solve?.process?.converged).toBe('yes');
    }
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0] ?? 0, 3);
  });
});

describe('heat2d: schemes, insulated sides and progress', () => {
  const base = async (over: Params): Promise<Params> => ({
    ...(await readPara('para.xml')).defaults,
    t_top: '100',
    cells: '24',
    ...over,
  });

  it.each(['explicit', 'jacobi', 'gauss-seidel', 'sor'])('solves with scheme %s', async (scheme) => {
    const adapter = await readAdapter();
    const run = await runJob(adapter, await base({ scheme, iterations: '60', tolerance: '0' }));
    expect(run.steps.post?.code, JSON.stringify(run.steps)).toBe(0);
    const log = run.steps.solve?.log ?? '';
    expect(log.match(/^Iter \d+ of 60 /gm)).toHaveLength(60);
    if (scheme === 'explicit') expect(log).toMatch(/^Iter 60 of 60 {2}residual \S+ {2}time \S+$/m);
    const res = residualRows(await readRun(run.job, 'SOLVE/residuals.dat')).map((r) => r[1]);
    expect(res.at(-1)).toBeLessThan((res[0] ?? 0) / 2);
    // tolerance 0 runs every iteration; the hook then judges by its default tolerance, 1e-6.
    expect(run.hooks.solve?.process?.converged).toBe(scheme === 'sor' ? 'yes' : 'no');
    const out = await outputs(adapter, run.job);
    expect(out.Tmean).toBeGreaterThan(20);
    expect(out.Tmean).toBeLessThan(100);
  });

  it('solves insulated sides exactly: a linear profile from bottom to top', async () => {
    const adapter = await readAdapter();
    const job = await buildJob(adapter, await base({ tolerance: '1e-10', iterations: '2000' }));
    const input = path.join(job.runDir, 'SOLVE', 'solver.in');
    const text = await readFile(input, 'utf8');
    await writeFile(
      input,
      text.replace(/^( {4}(left|right)\s+)\{.*\}$/gm, '$1{ type zeroGradient; }'), // an edited input
    );
    for (const step of adapter.steps) expect((await runStep(job, step)).code).toBe(0);
    // summary.txt has six significant digits.
    const exact = { Tcenter: 60, Tmean: 60, Tmax: 100 - 80 / 24, Tmin: 20 + 80 / 24, flux: 401 * 80 };
    for (const [key, value] of Object.entries(exact)) {
      expect(Math.abs((await summaryValue(job, key)) / value - 1), key).toBeLessThan(1e-5);
    }
  });

  it('prints progress steadily while it runs when delay_ms slows it down', async () => {
    const adapter = await readAdapter();
    const job = await buildJob(adapter, await base({ delay_ms: '60', iterations: '20', tolerance: '0' }));
    expect((await runStep(job, stepOf(adapter, 'mesh'))).code).toBe(0);
    const logFile = path.join(job.runDir, '.mirror', 'logs', 'solve.log');
    // Line counts of the log seen while the solver still ran.
    const seen = new Set<number>();
    const run = await runStep(job, stepOf(adapter, 'solve'), async (exited) => {
      while (!exited()) {
        const lines = (await readFile(logFile, 'utf8')).match(/^Iter \d+ of 20 /gm)?.length ?? 0;
        if (!exited()) seen.add(lines);
        await new Promise((r) => setTimeout(r, 15));
      }
    });
    expect(run.code).toBe(0);
    expect(run.ms).toBeGreaterThan(20 * 60);
    expect([...seen].filter((n) => n > 0 && n < 20).length).toBeGreaterThanOrEqual(3);
  });
});

describe('heat2d: bad input fails with a clear message', () => {
  const defaults = async (): Promise<Params> => expandStates(await readPara('para.xml'))[0] ?? {};

  it('mesh refuses cells=0', async () => {
    const adapter = await readAdapter();
    const run = await runJob(adapter, { ...(await defaults()), cells: '0' });
    expect(run.steps.mesh?.code).toBe(1);
    expect(run.steps.mesh?.log).toContain(
      "heat2d-mesh: error: --cells must be an integer from 2 to 1024, got '0'",
    );
    expect(run.steps.solve).toBeUndefined();
  });

  it('solve refuses a missing or unreadable solver.in', async () => {
    const adapter = await readAdapter();
    const job = await buildJob(adapter, await defaults());
    expect((await runStep(job, stepOf(adapter, 'mesh'))).code).toBe(0);
    await rm(path.join(job.runDir, 'SOLVE', 'solver.in'));
    const missing = await runStep(job, stepOf(adapter, 'solve'));
    expect(missing.code).toBe(1);
    expect(missing.log).toContain('heat2d-solve: error: cannot read input file solver.in: no such file');
    await mkdir(path.join(job.runDir, 'SOLVE', 'solver.in'));
    const dir = await runStep(job, stepOf(adapter, 'solve'));
    expect(dir.code).toBe(1);
    expect(dir.log).toContain('heat2d-solve: error: cannot read input file solver.in: is a directory');
  });

  it.each([
    [{ iterations: 'many' }, "solver.in line 17: 'solver.iterations' must be a number, got 'many'"],
    [{ iterations: '0' }, "solver.in line 17: 'solver.iterations' must be at least 1, got 0"],
    [
      { scheme: 'multigrid' },
      "solver.in line 16: 'solver.scheme' must be one of explicit, jacobi, gauss-seidel, sor, got 'multigrid'",
    ],
    [{ omega: '2.5' }, "solver.in line 19: 'solver.omega' must be less than 2, got 2.5"],
    [{ fourier: '0.3' }, "solver.in line 20: 'solver.fourier' must be at most 0.25, got 0.3"],
    [{ t_top: 'hot' }, "solver.in line 35: 'boundary.top.value' must be a number, got 'hot'"],
    [{ t_top: '100 }' }, "solver.in line 35: entry 'boundary.top.value' is missing its ';'"],
  ])('solve refuses %j', async (over, message) => {
    const adapter = await readAdapter();
    const run = await runJob(adapter, { ...(await defaults()), ...over });
    expect(run.steps.mesh?.code).toBe(0);
    expect(run.steps.solve?.code).toBe(1);
    expect(run.steps.solve?.log).toContain(`heat2d-solve: error: ${message}`);
    expect(run.steps.post).toBeUndefined();
  });

  it('solve refuses a missing material file and an unrendered template', async () => {
    const adapter = await readAdapter();
    const job = await buildJob(adapter, await defaults());
    expect((await runStep(job, stepOf(adapter, 'mesh'))).code).toBe(0);
    await rm(path.join(job.runDir, 'SOLVE', 'copper.mat'));
    const noMaterial = await runStep(job, stepOf(adapter, 'solve'));
    expect(noMaterial.code).toBe(1);
    expect(noMaterial.log).toMatch(
      /heat2d-solve: error: cannot read material file copper\.mat \(.*\): no such file/,
    );

    await cp(
      path.join(pkgDir, 'template', 'SOLVE', 'solver.in.tpl'),
      path.join(job.runDir, 'SOLVE', 'solver.in'),
    );
    const raw = await runStep(job, stepOf(adapter, 'solve'));
    expect(raw.code).toBe(1);
    expect(raw.log).toContain(
      "solver.in line 16: '{scheme}' is a template placeholder that was never filled in",
    );
  });

  it('post refuses a missing field', async () => {
    const adapter = await readAdapter();
    const job = await buildJob(adapter, await defaults());
    const run = await runStep(job, stepOf(adapter, 'post'));
    expect(run.code).toBe(1);
    expect(run.log).toContain('heat2d-post: error: cannot read field file ../SOLVE/field.dat: no such file');
  });
});

describe('heat2d: the solvePost hook', () => {
  const ctxFor = async (residuals: string | undefined, params: Params = {}): Promise<HookContext> => {
    const runDir = await tempDir();
    const stepDir = path.join(runDir, 'SOLVE');
    await mkdir(stepDir);
    if (residuals !== undefined) await writeFile(path.join(stepDir, 'residuals.dat'), residuals);
    return hookContext(
      { runDir, params, jobId: 3 },
      { id: 'solve', value: '', workpath: 'SOLVE', priority: 2 },
    );
  };

  it('judges convergence by the job tolerance, else 1e-6', async () => {
    const solvePost = await hook('solvePost');
    const text = '1 3.0e-02\n2 1.0e-04\n3 5.0e-07\n';
    expect(await solvePost(await ctxFor(text, { tolerance: '1e-6' }))).toEqual({
      process: { converged: 'yes', iterations: '3', final_residual: '5.000e-7' },
    });
    expect((await solvePost(await ctxFor(text, { tolerance: '1e-7' }))).process?.converged).toBe('no');
    expect((await solvePost(await ctxFor(text, {}))).process?.converged).toBe('yes');
  });

  it('fails the step when the solver left no residuals or a garbled file', async () => {
    const solvePost = await hook('solvePost');
    await expect(solvePost(await ctxFor(undefined))).rejects.toThrow(/residuals\.dat: no such file/);
    await expect(solvePost(await ctxFor(''))).rejects.toThrow(/holds no residuals/);
    await expect(solvePost(await ctxFor('1 0.5\nnot numbers\n'))).rejects.toThrow(
      /line 2: expected 'iter residual'/,
    );
  });
});
