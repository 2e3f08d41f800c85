import { bindArgs, fail, mirrorError, type ServiceDefinition } from '../../core/index.js';
import type { Rpc } from '../rpc.js';

/** In-process RPC: a table of served services, called directly. */
export function createMemoryRpc(): Rpc {
  const services = new Map<string, ServiceDefinition>();
  return {
    serve(service) {
      if (services.has(service.name))
        return Promise.reject(new Error(`service ${service.name} is already served`));
      services.set(service.name, service);
      return Promise.resolve();
    },
    unserve(name) {
      services.delete(name);
      return Promise.resolve();
    },
    async call(serviceName, methodName, kwargs, source = 'json') {
      try {
        const service = services.get(serviceName);
        if (!service) throw mirrorError('SERVICE_UNKNOWN', { service: serviceName });
        const method = Object.prototype.hasOwnProperty.call(service.methods, methodName)
          ? service.methods[methodName]
          : undefined;
        if (!method) throw mirrorError('METHOD_UNKNOWN', { method: methodName, service: serviceName });
        return await method.call(bindArgs(method.params, kwargs, source));
      } catch (err) {
        return fail(err);
      }
    },
  };
}
