export { loadConfig, envName, type LoadConfigOptions } from './load-config.js';
export { configSchema, type MirrorConfig, type ConfigKey, type FlatConfig } from './schema.js';
