// RabbitMQ for tests: reachable at 127.0.0.1:5672 (guest/guest), or a visible skip —
// a failure instead when MIRROR_REQUIRE_SERVICES=1, as in CI.
import { connect } from 'amqplib';
import { describeIfAvailable } from './required.js';

export const RABBIT_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Why RabbitMQ cannot be used here, or undefined when it can. */
export async function rabbitUnavailable(): Promise<string | undefined> {
  try {
    const connection = await connect(RABBIT_URL, { noDelay: true, timeout: 3000 });
    await connection.close();
    return undefined;
  } catch (err) {
    return `RabbitMQ not reachable at 127.0.0.1:5672 (${(err as Error).message})`;
  }
}

/** Declares `fn`'s tests when RabbitMQ is there; otherwise a skip saying why, or a failure in CI. */
export const describeWithRabbit = describeIfAvailable;

/** Per-rid services an agent serves: the seed verbs, and `joblog` for the hub. */
const PER_RID = [
  'jobdirbuild',
  'jobfilebuild',
  'jobrun',
  'jobprocessmonitor',
  'jobresultrecovery',
  'jobkill',
  'jobdelete',
  'joblog',
];

/** The `rpc-<service>` queues a hub and an agent on `rid` declare, to delete after a test. */
export function serviceQueues(rid: number): string[] {
  return ['jobdispatch', 'jobgetdata', 'job', ...PER_RID.map((s) => `${s}_${rid}`)].map((s) => `rpc-${s}`);
}
