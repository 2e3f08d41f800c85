/** A command that ran and failed (a `[-1, message]` reply, a refused input): exit code 1. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}
