export { openPostgresStore, connectPostgres, type PostgresStoreOptions } from './open.js';
export { postgresEngine } from './engine.js';
