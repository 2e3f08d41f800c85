import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { isMirrorError } from '../core/index.js';
import { MirrorApiError } from '../sdk/index.js';
import { UsageError, type Command } from './command.js';
import { CommandFailed } from './command-failed.js';
import { call } from './commands/call.js';
import { agent } from './commands/agent.js';
import { demo } from './commands/demo.js';
import { dispatch } from './commands/dispatch.js';
import { jobShow } from './commands/job-show.js';
import { jobs } from './commands/jobs.js';
import { kill } from './commands/kill.js';
import { logs } from './commands/logs.js';
import { packageAdd } from './commands/package-add.js';
import { packageLs } from './commands/package-ls.js';
import { packageRm } from './commands/package-rm.js';
import { projectCreate } from './commands/project-create.js';
import { projectLs } from './commands/project-ls.js';
import { projectRm } from './commands/project-rm.js';
import { projectShow } from './commands/project-show.js';
import { projectUpload } from './commands/project-upload.js';
import { rerun } from './commands/rerun.js';
import { results } from './commands/results.js';
import { rm } from './commands/rm.js';
import { serve } from './commands/serve.js';
import { watch } from './commands/watch.js';

const commands: readonly Command[] = [
  serve,
  agent,
  demo,
  packageAdd,
  packageLs,
  packageRm,
  projectCreate,
  projectLs,
  projectShow,
  projectUpload,
  projectRm,
  dispatch,
  jobs,
  jobShow,
  watch,
  logs,
  kill,
  rm,
  rerun,
  results,
  call,
];

const globalOptions = {
  config: { type: 'string' },
  workdir: { type: 'string' },
  store: { type: 'string' },
  hub: { type: 'string' },
  rid: { type: 'string' },
  broker: { type: 'string' },
  'agent-credential': { type: 'string' },
  executor: { type: 'string' },
  embedded: { type: 'boolean' },
  debug: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Exit codes: 0 done, 1 the command failed (a refused call, an error from the hub), 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'mirror: run simulation jobs from submission to results',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Commands talk to the hub at --hub URL (config hubUrl, MIRROR_HUB_URL; default http://127.0.0.1:8000),',
    'or with --embedded to a hub started here on the local workdir.',
    'global flags: --hub URL  --embedded  --config FILE  --workdir DIR  --store URL  --rid N  --broker AMQP-URL',
    '              --executor local|slurm  --set key=value  --debug',
    'exit codes: 0 done, 1 failed, 2 usage',
  ].join('\n');
}

/** Finds the command named by the first one or two words of argv. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/** Runs the CLI; answers the process exit code. Errors are one line; --debug adds the stack. */
export async function main(argv: readonly string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const asked = argv[0] === undefined || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    (asked ? console.log : console.error)(help());
    return asked ? EXIT.ok : EXIT.usage;
  }
  const { command, rest } = found;
  const debug = rest.includes('--debug');
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values['help'] === true) {
      console.log(`${command.usage}\n  ${command.summary}`);
      return EXIT.ok;
    }
    // No prototype: `--set __proto__=1` is an unknown key like any other, never dropped.
    const flags = Object.create(null) as Record<string, unknown>;
    for (const pair of (values['set'] as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new UsageError(`--set needs key=value, got ${JSON.stringify(pair)}`);
      flags[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    for (const [flag, key] of [
      ['workdir', 'workdir'],
      ['store', 'store'],
      ['hub', 'hubUrl'],
      ['rid', 'rid'],
      ['broker', 'broker'],
      ['agent-credential', 'agent.credential'],
      ['executor', 'executor.kind'],
    ] as const) {
      if (typeof values[flag] === 'string') flags[key] = values[flag];
    }
    const config = loadConfig({
      flags,
      ...(typeof values['config'] === 'string' ? { file: values['config'] } : {}),
    });
    const own = Object.fromEntries(Object.entries(values).filter(([k]) => !(k in globalOptions))) as Record<
      string,
      string | boolean | undefined
    >;
    const embedded = values['embedded'] === true;
    const [, most] = command.arguments ?? [0, 0];
    const extra = parsed.positionals[most];
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    await command.run({
      command: command.name,
      args: parsed.positionals,
      flags: own,
      config,
      embedded,
      out: (line) => console.log(line),
    });
    return EXIT.ok;
  } catch (err) {
    if (debug) console.error(err);
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`mirror ${command.name}: ${err.message}\nusage: ${command.usage}`);
      return EXIT.usage;
    }
    if (err instanceof CommandFailed || err instanceof MirrorApiError || isMirrorError(err)) {
      console.error(`mirror ${command.name}: ${err.message}`);
      return EXIT.failed;
    }
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof TypeError && err.message === 'fetch failed') {
      const why = cause instanceof Error ? cause.message : 'no answer';
      console.error(
        `mirror ${command.name}: cannot reach the hub: ${why} (start one with \`mirror serve\`, or add --embedded)`,
      );
      return EXIT.failed;
    }
    console.error(
      `mirror ${command.name}: ${err instanceof Error ? err.message : String(err)}${debug ? '' : ' (--debug for details)'}`,
    );
    return EXIT.failed;
  }
}
