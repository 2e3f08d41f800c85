// Tests that need something of the machine (RabbitMQ, Chromium, ...): run where it is
// there; elsewhere a visible skip saying why — or a failure when MIRROR_REQUIRE_SERVICES=1,
// as in CI, where everything must run.
import { describe, it } from 'vitest';

/** Declares `fn`'s tests when `why` is undefined; otherwise a skip saying why, or a failure in CI. */
export function describeIfAvailable(name: string, why: string | undefined, fn: () => void): void {
  if (why === undefined) describe(name, fn);
  else if (process.env.MIRROR_REQUIRE_SERVICES === '1') {
    describe(name, () => {
      it(`is required (MIRROR_REQUIRE_SERVICES=1) but ${why}`, () => {
        throw new Error(why);
      });
    });
  } else describe.skip(`${name} (skipped: ${why})`, fn);
}
