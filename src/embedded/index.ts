export { createEmbedded, type Embedded, type EmbeddedOptions } from './create-embedded.js';
