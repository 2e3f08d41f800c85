import type { Reply, ServiceDefinition } from '../core/index.js';

/**
 * RPC on the bus: services are served by name (`jobdispatch`, `jobrun_5`) and called by
 * service, method and keyword arguments, with `[code, value]` replies. In-process for
 * the embedded default (`bus/memory`), nameko's AMQP protocol when scaled out.
 */
export interface Rpc {
  /** Starts answering calls for a service; a name served twice is an error. */
  serve(service: ServiceDefinition): Promise<void>;
  /** Stops answering calls for a service. Idempotent. */
  unserve(name: string): Promise<void>;
  /**
   * Calls a method. `json` arguments (RPC kwargs) must have their declared types; `text`
   * ones (from `/proxy` query strings) are parsed by them. Never rejects: an unknown
   * service, method or bad argument is a `[-1, message]` reply.
   */
  call(
    service: string,
    method: string,
    kwargs: Readonly<Record<string, unknown>>,
    source?: 'json' | 'text',
  ): Promise<Reply<unknown>>;
}
