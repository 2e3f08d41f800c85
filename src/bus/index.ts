export type { JobQueue } from './job-queue.js';
export type { Rpc } from './rpc.js';
export { createMemoryJobQueue } from './memory/memory-job-queue.js';
export { createMemoryRpc } from './memory/memory-rpc.js';
export { createAmqpRpc, type AmqpRpc, type AmqpRpcOptions } from './amqp/amqp-rpc.js';
export { createAmqpJobQueue, type AmqpJobQueue, type AmqpJobQueueOptions } from './amqp/amqp-job-queue.js';
