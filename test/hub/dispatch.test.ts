import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub/index.js';
import { HEAT2D, openTestHub, PLATE } from '../support/hub.js';
import { scratchDir } from '../support/scratch.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

/** What a refused dispatch must leave as it was: jobs, their events, the queue. */
async function snapshot(hub: Hub) {
  const jobs = await hub.store.listJobs({ limit: 100_000 });
  const events = await Promise.all(jobs.map((j) => hub.store.listJobEvents(j.id)));
  return { jobs, events, queued: await hub.queue.size() };
}

/** A refusal whose setup needs no I/O: the call's kwargs and the exact reply message. */
const given = (kwargs: Record<string, unknown>, message: string) =>
  Promise.resolve<[Record<string, unknown>, string]>([kwargs, message]);
const para = (body: string) => new TextEncoder().encode(`<Para>\n${body}\n</Para>\n`);
const DEFAULTS = `  <Param name="material" value="copper.mat"/>
  <Param name="length" value="1.0"/>
  <Param name="t_bottom" value="20"/><Param name="t_left" value="20"/><Param name="t_right" value="20"/>
  <Param name="t_init" value="20"/><Param name="source" value="0"/><Param name="scheme" value="sor"/>
  <Param name="omega" value="auto"/><Param name="fourier" value="0.2"/><Param name="iterations" value="50"/>
  <Param name="tolerance" value="0"/><Param name="delay_ms" value="0"/><Param name="t_top" value="100"/>`;

describeEachStore(backends, (backend) => {
  let hub: Hub;
  let p: number;
  let c: number;

  /** Registers a copy of heat2d whose adapter.xml has `text` replaced by `by`; answers its id. */
  const heat2dWith = async (text: string, by: string): Promise<number> => {
    const dir = await scratchDir('mirror-pkg-');
    await cp(HEAT2D, dir, { recursive: true });
    const adapter = await readFile(join(dir, 'adapter.xml'), 'utf8');
    await writeFile(join(dir, 'adapter.xml'), adapter.replace(text, by));
    return (await hub.calcPackages.add({ dir })).id;
  };

  beforeAll(async () => {
    hub = await openTestHub(backend, { 'limits.maxStates': '1000' });
    c = (await hub.calcPackages.add({ dir: HEAT2D })).id;
    p = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
  });

  describe('jobdispatch.do', () => {
    it('makes one queued job per state, in state order, and enqueues their ids', async () => {
      const before = await hub.queue.size();
      const reply = await hub.call('jobdispatch', 'do', { p_id: p, c_id: c });
      expect(reply[0]).toBe(0);
      const ids = reply[1] as number[];
      expect(ids).toHaveLength(4);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(await hub.queue.size()).toBe(before + 4);
      const jobs = await Promise.all(ids.map((id) => hub.store.getJob(id)));
      expect(jobs.map((j) => j?.label)).toEqual([
        't_top=100,cells=32',
        't_top=100,cells=48',
        't_top=200,cells=32',
        't_top=200,cells=48',
      ]);
      expect(jobs.map((j) => j?.stateIndex)).toEqual([0, 1, 2, 3]);
      for (const job of jobs) {
        expect(job).toMatchObject({
          state: 'queued',
          rid: null,
          path: null,
          projectId: p,
          packageId: c,
          paraName: 'para.xml',
        });
        expect(job?.params['material']).toBe('copper.mat');
        const events = await hub.store.listJobEvents(job?.id ?? 0);
        expect(events.map((e) => [e.from, e.to])).toEqual([[null, 'queued']]);
      }
    });

    it('takes para_name, over RPC-style JSON and /proxy-style text arguments alike', async () => {
      const json = await hub.call('jobdispatch', 'do', { p_id: p, c_id: c, para_name: 'para-zip.xml' });
      const text = await hub.call(
        'jobdispatch',
        'do',
        { p_id: String(p), c_id: String(c), para_name: 'para-zip.xml' },
        'text',
      );
      expect(json[0]).toBe(0);
      expect(text[0]).toBe(0);
      const labels = async (ids: number[]) =>
        Promise.all(ids.map(async (id) => (await hub.store.getJob(id))?.label));
      expect(await labels(json[1] as number[])).toEqual([
        'material=copper.mat,t_top=100',
        'material=aluminium.mat,t_top=150',
        'material=steel.mat,t_top=200',
      ]);
      expect(await labels(text[1] as number[])).toEqual(await labels(json[1] as number[]));
    });

    it('makes a second, identical set of jobs when dispatched twice', async () => {
      const first = (await hub.call('jobdispatch', 'do', { p_id: p, c_id: c }))[1] as number[];
      const second = (await hub.call('jobdispatch', 'do', { p_id: p, c_id: c }))[1] as number[];
      expect(second).toHaveLength(first.length);
      expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
      const strip = async (id: number) => {
        const job = await hub.store.getJob(id);
        return { label: job?.label, params: job?.params, stateIndex: job?.stateIndex, state: job?.state };
      };
      expect(await Promise.all(second.map(strip))).toEqual(await Promise.all(first.map(strip)));
    });

    it('dispatches a 10,000-state para file', async () => {
      const big = await openTestHub(backend);
      const pkg = (await big.calcPackages.add({ dir: HEAT2D })).id;
      const values = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(' ');
      const { project } = await big.projects.createFromDirectory('plate', PLATE);
      await big.projects.putFile(project.id, {
        name: 'big.xml',
        data: para(
          `${DEFAULTS}\n<States><Param name="cells" values="${values(100)}"/><Param name="iterations" values="${values(100)}"/></States>`.replace(
            '<Param name="iterations" value="50"/>',
            '',
          ),
        ),
      });
      const reply = await big.call('jobdispatch', 'do', {
        p_id: project.id,
        c_id: pkg,
        para_name: 'big.xml',
      });
      expect(reply[0]).toBe(0);
      expect(reply[1]).toHaveLength(10_000);
      expect(await big.store.countJobs({ projectId: project.id })).toBe(10_000);
      expect(await big.queue.size()).toBe(10_000);
      const last = await big.store.getJob((reply[1] as number[])[9_999] ?? 0);
      expect(last).toMatchObject({ stateIndex: 9_999, label: 'cells=100,iterations=100' });
    });
  });

  it('refuses a para file over limits.paraBytes by its recorded size', async () => {
    const small = await openTestHub(backend, { 'limits.paraBytes': '100' });
    const pkg = (await small.calcPackages.add({ dir: HEAT2D })).id;
    const { project, files } = await small.projects.createFromDirectory('plate', PLATE);
    const size = files.find((f) => f.name === 'para.xml')?.size ?? 0;
    expect(await small.call('jobdispatch', 'do', { p_id: project.id, c_id: pkg })).toEqual([
      -1,
      `para.xml is ${size} bytes, over the limit of 100`,
    ]);
    expect(await small.store.countJobs()).toBe(0);
  });

  describe('refused dispatches change nothing', () => {
    const refusals: [string, () => Promise<[Record<string, unknown>, string]>][] = [
      ['unknown project', () => given({ p_id: 999, c_id: c }, 'project is not existed , project : 999')],
      [
        'unknown calc package',
        () => given({ p_id: p, c_id: 999 }, 'calcpackage is not existed , calcpackage : 999'),
      ],
      [
        'unknown para file',
        () =>
          given({ p_id: p, c_id: c, para_name: 'nope.xml' }, `para file "nope.xml" is not in project ${p}`),
      ],
      [
        'unresolved placeholder',
        async () => {
          await hub.projects.putFile(p, {
            name: 'no-length.xml',
            data: para(
              DEFAULTS.replace('<Param name="length" value="1.0"/>', '<Param name="cells" value="8"/>'),
            ),
          });
          return [
            { p_id: p, c_id: c, para_name: 'no-length.xml' },
            'no-length.xml state 0: placeholder {length} in ExeArgument mesh value has no value',
          ];
        },
      ],
      [
        'placeholder only a template uses',
        async () => {
          await hub.projects.putFile(p, {
            name: 'no-fourier.xml',
            data: para(
              `${DEFAULTS.replace('<Param name="fourier" value="0.2"/>', '')}\n<States><Param name="cells" values="8 16"/></States>`,
            ),
          });
          return [
            { p_id: p, c_id: c, para_name: 'no-fourier.xml' },
            'no-fourier.xml state 0 (cells=8): placeholder {fourier} in template SOLVE/solver.in.tpl has no value',
          ];
        },
      ],
      [
        'missing copy-rule file',
        async () => {
          await hub.projects.putFile(p, {
            name: 'titanium.xml',
            data: para(
              `${DEFAULTS}\n<Param name="cells" value="8"/>\n<States><Param name="material" values="copper.mat titanium.mat"/></States>`.replace(
                '<Param name="material" value="copper.mat"/>',
                '',
              ),
            ),
          });
          return [
            { p_id: p, c_id: c, para_name: 'titanium.xml' },
            `titanium.xml state 1 (material=titanium.mat): copy rule file titanium.mat is not in project ${p}`,
          ];
        },
      ],
      [
        'unequal zip lists',
        async () => {
          await hub.projects.putFile(p, {
            name: 'zip.xml',
            data: para(
              `${DEFAULTS.replace('<Param name="t_top" value="100"/>', '')}\n<Param name="cells" value="8"/>\n<States rule="zip">\n<Param name="t_top" values="1 2 3"/>\n<Param name="t_left" values="1 2"/>\n</States>`.replace(
                '<Param name="t_left" value="20"/>',
                '',
              ),
            ),
          });
          return [
            { p_id: p, c_id: c, para_name: 'zip.xml' },
            'zip.xml line 11: zip lists differ in length: "t_left" has 2 values, "t_top" has 3',
          ];
        },
      ],
      [
        'a parameter value that would lead a result path out of the run directory',
        async () => {
          const withCase = await heat2dWith(
            '</Adapter>',
            '  <Result key="case" file="POST/{case}.txt"/>\n</Adapter>',
          );
          await hub.projects.putFile(p, {
            name: 'escape.xml',
            data: para(
              `${DEFAULTS}\n<Param name="cells" value="8"/>\n<States><Param name="case" values="a ../../../etc/passwd"/></States>`,
            ),
          });
          return [
            { p_id: p, c_id: withCase, para_name: 'escape.xml' },
            'escape.xml state 1 (case=../../../etc/passwd): Result case file renders to "POST/../../../etc/passwd.txt": path has a ".." component',
          ];
        },
      ],
      [
        'a parameter value that makes a step ask for an impossible resource',
        async () => {
          const withCores = await heat2dWith(
            'workpath="SOLVE" priority="2"',
            'workpath="SOLVE" priority="2" cores="{np}"',
          );
          await hub.projects.putFile(p, {
            name: 'cores.xml',
            data: para(
              `${DEFAULTS}\n<Param name="cells" value="8"/>\n<States><Param name="np" values="4 many"/></States>`,
            ),
          });
          return [
            { p_id: p, c_id: withCores, para_name: 'cores.xml' },
            'cores.xml state 1 (np=many): ExeArgument solve cores renders to "many": not a whole number from 1 to 1000000',
          ];
        },
      ],
      [
        'more states than maxStates',
        async () => {
          await hub.projects.putFile(p, {
            name: 'huge.xml',
            data: para(
              `${DEFAULTS}\n<Param name="cells" value="8"/>\n<States><Param name="a" values="1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32"/><Param name="b" values="1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32"/></States>`,
            ),
          });
          return [
            { p_id: p, c_id: c, para_name: 'huge.xml' },
            'huge.xml makes 1024 states, over the limit of 1000 (maxStates)',
          ];
        },
      ],
      [
        'a wrong argument type',
        () => given({ p_id: 'one', c_id: c }, 'argument p_id: "one" is not a positive integer'),
      ],
      ['an extra argument', () => given({ p_id: p, c_id: c, rid: 5 }, 'unknown argument rid')],
    ];

    for (const [what, setup] of refusals) {
      it(`refuses ${what}`, async () => {
        const [kwargs, message] = await setup();
        const before = await snapshot(hub);
        const reply = await hub.call('jobdispatch', 'do', kwargs);
        expect(reply[0]).toBe(-1);
        expect(reply[1]).toBe(message);
        expect(await snapshot(hub)).toEqual(before);
      });
    }
  });
});
