// RPC round trip of `job.getrid(job_id=1)` over RabbitMQ: Mirror's RPC client (nameko's
// protocol) calling a real hub process (`mirror serve --no-agent --broker`) against raw
// amqplib calling a raw nameko-style responder (bench/servers/raw-rpc.ts) on the same
// broker. Both clients in this process, both servers in their own; sequential calls,
// alternating in blocks after a warm-up; p50/p99.
import { randomUUID } from 'node:crypto';
import { connect, type ConsumeMessage } from 'amqplib';
import { createAmqpRpc } from '../../src/bus/index.js';
import { skipped, type Figure } from '../lib/figure.js';
import { startHubProcess } from '../lib/hub-process.js';
import { startServer } from '../lib/processes.js';
import { fmtRatio, judge } from '../lib/report.js';
import { freshVhost } from '../lib/services.js';
import { fmtMs, summarize } from '../lib/stats.js';
import type { Scope } from '../lib/scope.js';

const FIGURE = 'RPC round trip `job.getrid` over RabbitMQ (p50/p99)';
const TARGET = '≤ 1.2× (p50)';
const RAW_EXCHANGE = 'bench_raw_rpc';

export const rpc: Figure = {
  name: 'rpc',
  async run({ quick, scope, services, log }) {
    if (!('url' in services.rabbitmq)) return [skipped(FIGURE, TARGET, services.rabbitmq.missing)];
    const broker = await freshVhost(services.rabbitmq, scope);
    const hub = await startHubProcess(scope, { jobs: 1000, broker });
    const client = await createAmqpRpc({ url: broker, exchange: 'mirror_com' });
    scope.defer(() => client.close());
    const mirrorCall = async () => {
      const reply = await client.call('job', 'getrid', { job_id: 1 });
      if (reply[0] !== 0) throw new Error(`job.getrid answered ${JSON.stringify(reply)}`);
    };
    const responder = startServer(scope, 'raw-rpc', [broker]);
    await responder.waitFor(/ready/);
    const rawCall = await rawClient(scope, broker);
    log(`  hub at ${hub.url}; calling`);

    const calls = quick ? 300 : 3000;
    for (let i = 0; i < 100; i++) {
      await mirrorCall();
      await rawCall();
    }
    const mirror: number[] = [];
    const raw: number[] = [];
    for (let done = 0; done < calls; done += 100) {
      for (const [fn, samples] of [
        [mirrorCall, mirror],
        [rawCall, raw],
      ] as const) {
        for (let i = 0; i < 100; i++) {
          const start = performance.now();
          await fn();
          samples.push(performance.now() - start);
        }
      }
    }
    const m = summarize(mirror);
    const b = summarize(raw);
    const ratio = m.p50 / b.p50;
    return [
      {
        figure: FIGURE,
        mirror: `${fmtMs(m.p50)} / ${fmtMs(m.p99)}`,
        baseline: `${fmtMs(b.p50)} / ${fmtMs(b.p99)}`,
        ratio: fmtRatio(ratio),
        target: TARGET,
        verdict: judge(ratio, '<=', 1.2),
        data: { calls, mirror: m, baseline: b, ratio },
      },
    ];
  },
};

/**
 * A raw amqplib caller of the raw responder: an exclusive reply queue bound under a
 * uuid, requests published persistent and mandatory with a correlation id.
 */
async function rawClient(scope: Scope, broker: string): Promise<() => Promise<void>> {
  const connection = await connect(broker, { noDelay: true });
  scope.defer(() => connection.close());
  const channel = await connection.createConfirmChannel();
  const replyKey = randomUUID();
  const { queue } = await channel.assertQueue(`rpc.reply-bench-${replyKey}`, {
    exclusive: true,
    autoDelete: true,
  });
  await channel.bindQueue(queue, RAW_EXCHANGE, replyKey);
  const waiting = new Map<string, () => void>();
  await channel.consume(
    queue,
    (msg: ConsumeMessage | null) => {
      const id = String(msg?.properties.correlationId);
      waiting.get(id)?.();
      waiting.delete(id);
    },
    { noAck: true },
  );
  const body = Buffer.from(JSON.stringify({ args: [], kwargs: { job_id: 1 } }));
  return () =>
    new Promise<void>((resolve) => {
      const id = randomUUID();
      waiting.set(id, resolve);
      channel.publish(RAW_EXCHANGE, 'bench.getrid', body, {
        mandatory: true,
        contentType: 'application/json',
        deliveryMode: 2,
        correlationId: id,
        replyTo: replyKey,
      });
    });
}
