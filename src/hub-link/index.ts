/**
 * The contract between a resource machine's agent and the hub, and both ends of its HTTP
 * form: `HubLink` is everything an agent reads from the control plane or tells it. The
 * hub implements it in its own process (`hub/local-hub-link.ts`, the embedded default)
 * and serves that implementation on `/agent` (`server/`); a remote agent reaches it with
 * `createHttpHubLink` (`client/`), as `bus/amqp/` holds both ends of nameko.
 */
export type { HubLink, MachineReport, ProcessLines } from './hub-link.js';
export { createHttpHubLink, type HttpHubLinkOptions } from './client/http-hub-link.js';
export { registerAgentLink } from './server/routes.js';
