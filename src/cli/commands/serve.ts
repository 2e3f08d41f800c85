import { createEmbedded } from '../../embedded/index.js';
import { checkListenAddress, createGateway } from '../../hub/http/index.js';
import type { Command } from '../command.js';

export const serve: Command = {
  name: 'serve',
  usage: 'mirror serve',
  summary: 'Run the embedded Mirror (hub, one agent, HTTP gateway) until interrupted.',
  async run({ config, out }) {
    checkListenAddress(config.http.host, config.http.token, config.http.allowInsecure);
    const env = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const mirror = await createEmbedded(config, { baseEnv: env, log: (line) => out(line) });
    await mirror.start();
    const gateway = await createGateway(mirror.hub);
    const address = await gateway.listen({ host: config.http.host, port: config.http.port });
    out(
      `mirror: hub and agent rid ${config.rid} (${config.slots} slots, autorun ${config.autorun ? 'on' : 'off'})`,
    );
    out(`mirror: store ${config.store}`);
    out(`mirror: listening on ${address} (GET ${address}/proxy/<service>-<method>?...)`);

    // First signal: stop accepting, stop the agent (running jobs fail, "agent stopped"),
    // close the store. A second signal while that runs: leave at once.
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          out(`mirror: ${signal} again, leaving now`);
          process.exit(130);
        }
        stopping = true;
        out(`mirror: ${signal}, stopping (again to force)`);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await gateway.close();
    await mirror.stop();
    out('mirror: stopped');
  },
};
