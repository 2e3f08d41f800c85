// A RabbitMQ virtual host of its own for a test file: queues named alike in other
// files (`rpc-jobrun_5`, `mirror-jobs`) never meet its own. Made with rabbitmqctl
// and deleted, with everything in it, after the file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

const run = promisify(execFile);
const made: string[] = [];
afterAll(async () => {
  for (const vhost of made.splice(0)) await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]).catch(() => {});
});

/** The AMQP URL of a fresh virtual host that guest may use. */
export async function freshVhost(): Promise<string> {
  const vhost = `mirror_t_${randomBytes(5).toString('hex')}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  made.push(vhost);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  return `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
}
