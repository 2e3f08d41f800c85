import type { Channel, ConfirmChannel } from 'amqplib';
import type { Link } from './reconnecting-connection.js';

/** One connection's channels for RPC, shared by the serving and the calling side. */
export interface RpcSession {
  readonly link: Link;
  readonly consumer: Channel;
  readonly publisher: ConfirmChannel;
  /** Consumer tags of the services consumed on this connection, by service name. */
  readonly bound: Map<string, string>;
  /** The tail of this connection's `reconcile` runs, which go one at a time. */
  sync: Promise<void>;
}
