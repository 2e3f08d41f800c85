// The services scaled-out figures need, found or not: PostgreSQL at 127.0.0.1:5432
// (trust authentication) and RabbitMQ at 127.0.0.1:5672 (guest, rabbitmqctl on PATH).
// Each figure gets its own database (`mirror_bench_<hex>`) and virtual host, dropped
// and deleted when its scope closes.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import pg from 'pg';
import type { Scope } from './scope.js';

const run = promisify(execFile);
const POSTGRES_HOST = '127.0.0.1:5432';
/** Roles tried in turn (trust authentication), as the tests do. */
const POSTGRES_USERS = ['postgres', 'root'];
const AMQP_HOST = '127.0.0.1:5672';

/** A service found (`url` to reach it, the server's version), or why it cannot be used. */
export type Service = { readonly url: string; readonly version: string } | { readonly missing: string };

export interface Services {
  readonly postgres: Service;
  readonly rabbitmq: Service;
  /** One line for the report: which services the run found. */
  readonly summary: string;
}

/** Looks for PostgreSQL and RabbitMQ; `skip` pretends both are absent. */
export async function findServices(skip = false): Promise<Services> {
  const postgres: Service = skip ? { missing: 'services skipped (--no-services)' } : await findPostgres();
  const rabbitmq: Service = skip ? { missing: 'services skipped (--no-services)' } : await findRabbitmq();
  const say = (name: string, s: Service) => ('url' in s ? `${name} ${s.version}` : `${name} absent`);
  return { postgres, rabbitmq, summary: `${say('PostgreSQL', postgres)}, ${say('RabbitMQ', rabbitmq)}` };
}

async function findPostgres(): Promise<Service> {
  let last = '';
  for (const user of POSTGRES_USERS) {
    const url = `postgres://${user}@${POSTGRES_HOST}/postgres`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return { url, version: rows[0]?.server_version.split(' ')[0] ?? '?' };
    } catch (err) {
      last = (err as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { missing: `PostgreSQL does not answer at ${POSTGRES_HOST} (${last})` };
}

async function findRabbitmq(): Promise<Service> {
  const url = `amqp://guest:guest@${AMQP_HOST}`;
  let version: string;
  try {
    const connection = await connect(url, { timeout: 3000 });
    version = connection.connection.serverProperties.version ?? '?';
    await connection.close();
  } catch (err) {
    return { missing: `RabbitMQ does not answer at ${AMQP_HOST} (${(err as Error).message})` };
  }
  try {
    await run('rabbitmqctl', ['-q', 'list_vhosts']);
  } catch (err) {
    return {
      missing: `rabbitmqctl cannot make virtual hosts here (${(err as Error).message.split('\n')[0]})`,
    };
  }
  return { url, version };
}

/** The URL of a fresh, empty PostgreSQL database, dropped when `scope` closes. */
export async function freshDatabase(service: { url: string }, scope: Scope): Promise<string> {
  const name = `mirror_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(service.url, `CREATE DATABASE ${name}`);
  scope.defer(() => retried(() => adminQuery(service.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  const url = new URL(service.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The AMQP URL of a fresh virtual host guest may use, deleted when `scope` closes. */
export async function freshVhost(service: { url: string }, scope: Scope): Promise<string> {
  const vhost = `mirror_bench_${randomBytes(5).toString('hex')}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  scope.defer(() =>
    retried(async () => {
      await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
    }),
  );
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  return `${service.url}/${vhost}`;
}

/**
 * Runs a cleanup, trying twice more 3 s apart: a server restarted meanwhile (the test
 * suite restarts both on this machine) must not leave a database or virtual host behind.
 */
async function retried(undo: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await undo();
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}
