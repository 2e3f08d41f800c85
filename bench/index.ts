// `npm run bench [-- --quick] [-- --only a,b] [-- --no-services]`: every figure of the
// benchmark suite, each next to its baseline measured in the same run, as a Markdown
// table on stdout and in bench/results/<date>.json and .md (a quick run writes
// <date>-quick.*; an --only run writes nothing). Exits 1 when a figure broke (not when
// it missed its target: that is a finding, reported in the table).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { figures } from './figures/index.js';
import { machineInfo } from './lib/machine.js';
import { markdownNotes, markdownTable, writeReport, type Report, type Row } from './lib/report.js';
import { createScope, type Scope } from './lib/scope.js';
import { findServices } from './lib/services.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-services': { type: 'boolean', default: false },
  },
});
const quick = values.quick === true;
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !figures.some((f) => f.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown figure ${unknown.join(', ')}; figures: ${figures.map((f) => f.name).join(', ')}`);
  process.exit(2);
}
const log = (line: string) => console.error(line);

/** A message cut to a length a table cell can hold. */
const shorten = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

// Ctrl-C: undo what the running figure made (processes, databases, vhosts, temp dirs).
let current: Scope | undefined;
process.once('SIGINT', () => {
  log('interrupted: cleaning up');
  void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
});

const started = performance.now();
const services = await findServices(values['no-services'] === true);
log(`mirror bench${quick ? ' --quick' : ''}: ${services.summary}`);
const rows: Row[] = [];
for (const figure of figures.filter((f) => only === undefined || only.includes(f.name))) {
  log(`== ${figure.name}`);
  const scope = createScope(log);
  current = scope;
  const figureStart = performance.now();
  try {
    rows.push(...(await figure.run({ quick, scope, services, log })));
  } catch (err) {
    log(`  ${figure.name} failed: ${(err as Error).stack ?? String(err)}`);
    rows.push({
      figure: figure.name,
      mirror: '-',
      baseline: '-',
      ratio: '-',
      target: '-',
      verdict: 'error',
      note: shorten((err as Error).message.split('\n')[0] ?? 'failed'),
    });
  } finally {
    await scope.close();
    current = undefined;
  }
  log(`   (${((performance.now() - figureStart) / 1000).toFixed(1)} s)`);
}

const durationS = (performance.now() - started) / 1000;
const report: Report = {
  date: new Date().toISOString().slice(0, 10),
  quick,
  machine: machineInfo(services.summary),
  durationS,
  rows,
};
console.log(markdownTable(rows));
const notes = markdownNotes(rows);
if (notes !== '') console.log(`\n${notes}`);
if (only === undefined) {
  const written = await writeReport(RESULTS, `${report.date}${quick ? '-quick' : ''}`, report);
  log(`written: ${written.join(', ')}`);
}
log(`mirror bench: ${durationS.toFixed(0)} s`);
process.exitCode = rows.some((r) => r.verdict === 'error') ? 1 : 0;
