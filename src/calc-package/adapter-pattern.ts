import RE2 from 're2';

/**
 * Why `pattern` cannot be a monitor pattern, or undefined when it can: it must be a
 * JavaScript regular expression that RE2 compiles (linear time: no backreferences, no
 * lookaround) and has at least `minGroups` capture groups; `groupsReason` is the
 * message when it has too few.
 */
export function patternProblem(pattern: string, minGroups: number, groupsReason: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (err) {
    const detail = messageOf(err).replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '');
    return `not a valid regular expression: ${detail}`;
  }
  let groups: number;
  try {
    new RE2(pattern);
    // An alternative that always matches the empty string shows every group, unset.
    groups = (new RE2(`(?:${pattern})|`).exec('')?.length ?? 1) - 1;
  } catch (err) {
    return `not a linear-time pattern (RE2: ${messageOf(err)}); backreferences and lookaround are not supported`;
  }
  return groups < minGroups ? groupsReason : undefined;
}

/** Compiles a validated monitor pattern for matching lines. */
export function compilePattern(pattern: string): RegExp {
  return new RE2(pattern);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
