import { join } from 'node:path';
import { createAgent } from '../../agent/index.js';
import { createHttpHubLink } from '../../hub-link/index.js';
import { createAmqpJobQueue, createAmqpRpc } from '../../bus/index.js';
import { UsageError, type Command } from '../command.js';
import { maskUrl, processEnv, untilStopSignal } from '../until-stopped.js';

export const agent: Command = {
  name: 'agent',
  usage: 'mirror agent --rid N --hub URL --broker AMQP-URL --agent-credential SECRET [--executor slurm]',
  summary:
    'Run a resource machine’s agent against a hub elsewhere: jobs and RPC from the broker, everything else over the hub’s HTTP.',
  async run({ config, out }) {
    const broker = config.broker;
    if (broker === null) {
      throw new UsageError(
        'an agent gets its jobs and calls from RabbitMQ: give --broker amqp://… (config broker)',
      );
    }
    if (config.agent.credential === '') {
      throw new UsageError(
        'an agent authenticates to the hub with its agent credential: give --agent-credential SECRET ' +
          '(config agent.credential, MIRROR_AGENT_CREDENTIAL); the hub keeps it in <its workdir>/agent-credential',
      );
    }
    const log = (line: string) => out(`mirror agent rid ${config.rid}: ${line}`);
    const hub = createHttpHubLink({
      url: config.hubUrl,
      credential: config.agent.credential,
      retryMs: config.timing.hubRetryMs,
      cacheDir: join(config.workdir, 'cache'),
      log,
    });
    const rpc = await createAmqpRpc({ url: broker, exchange: config.rpc.exchange, log });
    const queue = await createAmqpJobQueue({
      url: broker,
      queue: config.jobQueue,
      consume: true,
      prefetch: config.slots,
      log,
    });
    const machine = createAgent({ config, hub, queue, rpc, baseEnv: processEnv(), log });
    try {
      await machine.start();
    } catch (err) {
      await machine.stop();
      await Promise.all([queue.close(), rpc.close(), hub.close()]);
      throw err;
    }
    out(
      `mirror: agent rid ${config.rid} (${config.slots} slots, autorun ${config.autorun ? 'on' : 'off'}), workdir ${config.workdir}`,
    );
    out(`mirror: hub ${config.hubUrl}; RPC and jobs on ${maskUrl(broker)} (exchange ${config.rpc.exchange})`);
    // First signal: stop claiming and serving; running jobs fail ("agent stopped").
    await untilStopSignal(out);
    await machine.stop();
    await queue.close();
    await rpc.close();
    await hub.close();
    out('mirror: stopped');
  },
};
