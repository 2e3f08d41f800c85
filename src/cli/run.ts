// The `mirror` process: runs the CLI and sets the exit code. Nothing else has one.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
