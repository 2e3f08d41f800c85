/**
 * Error objects as nameko puts them in a reply's `error` (shared/nameko-protocol.md §5).
 * The three with a registered `exc_path` are raised as their own class by a Python
 * client; anything else arrives there as `RemoteError("<exc_type> <value>")`.
 */
export interface NamekoError {
  readonly exc_type: string;
  readonly exc_path?: string;
  readonly exc_args?: readonly string[];
  readonly value: string;
}

const nameko = (type: string, message: string): NamekoError => ({
  exc_type: type,
  exc_path: `nameko.exceptions.${type}`,
  exc_args: [message],
  value: message,
});

/** A method the service does not have; `exc_args` is the method name, as nameko sends it. */
export const methodNotFound = (method: string): NamekoError => nameko('MethodNotFound', method);

/** Arguments that do not fit the method's signature (unknown or missing ones). */
export const incorrectSignature = (message: string): NamekoError => nameko('IncorrectSignature', message);

/** A body without `args` and `kwargs`, or not JSON at all. */
export const malformedRequest = (message: string): NamekoError => nameko('MalformedRequest', message);

/** What a Mirror-side caller makes of an error object: one line naming it. */
export function describeError(error: NamekoError): string {
  return `${error.exc_type} ${error.value}`;
}
