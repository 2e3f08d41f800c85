// Control of the local RabbitMQ node for the tests that own it (test/exclusive/ runs
// alone, one file at a time): rabbitmqctl, run asynchronously so that the connections
// under test keep being served while it works.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { RABBIT_URL } from '../support/rabbit.js';

const run = promisify(execFile);

/** Runs `rabbitmqctl <args>` and answers its output; rejects on failure. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 120_000 });
  return stdout;
}

/** Why the node cannot be controlled here, or undefined when `rabbitmqctl` works. */
export async function rabbitmqctlUnavailable(): Promise<string | undefined> {
  try {
    await rabbitmqctl('eval', 'ok.');
    return undefined;
  } catch (err) {
    return `rabbitmqctl does not work here (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Sets a `rabbit` application variable of the running node (an Erlang term as text). */
export async function setRabbitEnv(key: string, value: string): Promise<void> {
  await rabbitmqctl('eval', `application:set_env(rabbit, ${key}, ${value}).`);
}

/** Starts the RabbitMQ application if it is stopped and waits until it accepts connections. */
export async function ensureBrokerRunning(): Promise<void> {
  await rabbitmqctl('start_app');
  await rabbitmqctl('await_startup');
}

/** The queues bound to an exchange (the services a Mirror served on it). */
export async function queuesBoundTo(exchange: string): Promise<string[]> {
  const out = await rabbitmqctl(
    'list_bindings',
    '-q',
    '--no-table-headers',
    'source_name',
    'destination_name',
  );
  return out
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([source, destination]) => source === exchange && destination !== undefined)
    .map(([, destination]) => destination ?? '');
}

/** Deletes queues and exchanges a test declared (each ignored if already gone). */
export async function deleteOnBroker(queues: readonly string[], exchanges: readonly string[]): Promise<void> {
  const connection = await connect(RABBIT_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}
