export type { JobQueue } from './job-queue.js';
export { createMemoryJobQueue } from './memory/memory-job-queue.js';
