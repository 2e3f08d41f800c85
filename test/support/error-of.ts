// The message of the error a call throws, so tests can assert it exactly; a call that
// does not throw fails the test.

/** The message `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error, but the call succeeded');
}

/** The message `promise` rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
