export { createGateway } from './create-gateway.js';
export { checkListenAddress, isLoopback } from './guards/index.js';
