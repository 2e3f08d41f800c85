import type { MirrorConfig } from '../config/index.js';

/** What a command gets: its positional arguments, its own flags, and an output sink. */
export interface CommandContext {
  /** The command's name, as messages start (`mirror <command>: ...`). */
  readonly command: string;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly config: MirrorConfig;
  /** Work on the local workdir through a hub started here, not on the running hub. */
  readonly embedded: boolean;
  readonly out: (line: string) => void;
}

export interface Command {
  /** `package add`, `dispatch`, … */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /**
   * How many positional arguments it takes, at least and at most (default none); one
   * more is a usage error naming it, never ignored.
   */
  readonly arguments?: readonly [min: number, max: number];
  /** Flags of this command (besides the global ones), as util.parseArgs options. */
  readonly options?: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;
  run(ctx: CommandContext): Promise<void>;
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
