import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { isMirrorError } from '../core/index.js';
import { UsageError, type Command } from './command.js';
import { CommandFailed } from './command-failed.js';
import { demo } from './commands/demo.js';
import { dispatch } from './commands/dispatch.js';
import { jobs } from './commands/jobs.js';
import { packageAdd } from './commands/package-add.js';
import { packageLs } from './commands/package-ls.js';
import { packageRm } from './commands/package-rm.js';
import { projectCreate } from './commands/project-create.js';
import { projectLs } from './commands/project-ls.js';
import { projectRm } from './commands/project-rm.js';
import { projectShow } from './commands/project-show.js';
import { serve } from './commands/serve.js';

const commands: readonly Command[] = [
  serve,
  demo,
  packageAdd,
  packageLs,
  packageRm,
  projectCreate,
  projectLs,
  projectShow,
  projectRm,
  dispatch,
  jobs,
];

const globalOptions = {
  config: { type: 'string' },
  workdir: { type: 'string' },
  store: { type: 'string' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'mirror: run simulation jobs from submission to results',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'global flags: --config FILE  --workdir DIR  --store URL  --set key=value (any config key, repeatable)',
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

/** Runs the CLI; answers the process exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: readonly string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const asked = argv[0] === undefined || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    (asked ? console.log : console.error)(help());
    return asked ? 0 : 2;
  }
  const { command, rest } = found;
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
      return 0;
    }
    const flags: Record<string, unknown> = {};
    for (const pair of (values['set'] as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new UsageError(`--set needs key=value, got ${JSON.stringify(pair)}`);
      flags[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    if (typeof values['workdir'] === 'string') flags['workdir'] = values['workdir'];
    if (typeof values['store'] === 'string') flags['store'] = values['store'];
    const config = loadConfig({
      flags,
      ...(typeof values['config'] === 'string' ? { file: values['config'] } : {}),
    });
    const own = Object.fromEntries(Object.entries(values).filter(([k]) => !(k in globalOptions))) as Record<
      string,
      string | boolean | undefined
    >;
    await command.run({ args: parsed.positionals, flags: own, config, out: (line) => console.log(line) });
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) {
      console.error(`mirror ${command.name}: ${err.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (err instanceof CommandFailed || isMirrorError(err)) {
      console.error(`mirror ${command.name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
