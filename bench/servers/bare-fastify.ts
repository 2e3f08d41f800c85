// The HTTP baseline: a bare Fastify (the gateway's own framework and version) with one
// route answering a constant `[0,1]` where Mirror's `/proxy/:call` answers `job.getrid`.
// Prints `listening on <address>`; stops on SIGINT or SIGTERM.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/proxy/:call', () => [0, 1]);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`listening on ${address}`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
