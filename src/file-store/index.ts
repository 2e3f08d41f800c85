export type { FileStore, PutResult } from './file-store.js';
export { createLocalFileStore } from './local-file-store.js';
