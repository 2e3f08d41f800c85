export { openSqliteStore, connectSqlite, SQLITE_MEMORY } from './open.js';
export { sqliteEngine } from './engine.js';
