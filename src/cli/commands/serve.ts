import { createAmqpJobQueue, createAmqpRpc } from '../../bus/index.js';
import { createEmbedded } from '../../embedded/index.js';
import { agentCredentialFile } from '../../hub/agent-credential.js';
import { checkListenAddress, createGateway } from '../../hub/http/index.js';
import type { Command } from '../command.js';
import { maskUrl, processEnv, untilStopSignal } from '../until-stopped.js';

export const serve: Command = {
  name: 'serve',
  usage: 'mirror serve [--no-agent]',
  summary:
    'Run the embedded Mirror (hub, one agent, HTTP gateway) until interrupted; --no-agent: the hub alone.',
  options: { 'no-agent': { type: 'boolean' } },
  async run({ config, flags, out }) {
    const withAgent = flags['no-agent'] !== true;
    checkListenAddress(config.http.host, config.http.token, config.http.allowInsecure);
    // With a broker, the seed verbs are served over RabbitMQ (nameko's protocol) and jobs
    // queue there; without one, everything stays in this process.
    const broker = config.broker;
    const rpc =
      broker !== null
        ? await createAmqpRpc({ url: broker, exchange: config.rpc.exchange, log: out })
        : undefined;
    const queue =
      broker !== null
        ? await createAmqpJobQueue({
            url: broker,
            queue: config.jobQueue,
            consume: withAgent,
            prefetch: config.slots,
            log: out,
          })
        : undefined;
    const mirror = await createEmbedded(config, {
      withAgent,
      duties: true,
      baseEnv: processEnv(),
      log: (line) => out(line),
      ...(rpc ? { rpc } : {}),
      ...(queue ? { queue } : {}),
    });
    await mirror.start();
    const gateway = await createGateway(mirror.hub);
    const address = await gateway.listen({ host: config.http.host, port: config.http.port });
    mirror.hub.listeningAt(address);
    out(
      withAgent
        ? `mirror: hub and agent rid ${config.rid} (${config.slots} slots, autorun ${config.autorun ? 'on' : 'off'})`
        : 'mirror: hub alone (no agent)',
    );
    out(`mirror: store ${config.store}`);
    if (broker !== null) out(`mirror: RPC and jobs on ${maskUrl(broker)} (exchange ${config.rpc.exchange})`);
    out(`mirror: listening on ${address} (GET ${address}/proxy/<service>-<method>?...)`);
    out(
      config.agent.credential === ''
        ? `mirror: remote agents authenticate with the credential in ${agentCredentialFile(config.workdir)} (--agent-credential, MIRROR_AGENT_CREDENTIAL)`
        : 'mirror: remote agents authenticate with agent.credential',
    );

    // First signal: stop accepting, stop the agent (running jobs fail, "agent stopped"),
    // close the store. A second signal while that runs: leave at once.
    await untilStopSignal(out);
    await gateway.close();
    await mirror.stop();
    await queue?.close();
    await rpc?.close();
    out('mirror: stopped');
  },
};
