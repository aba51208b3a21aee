/**
 * `npm start` as a child process for the tests and the fault benchmark: the configuration from the environment only
 * (never a developer's .env), ServerOptions as JSON in POLICYBOT_TEST_SERVER_OPTIONS, "READY <url>" on stdout once
 * it serves, and SIGTERM / SIGINT handled exactly as `policybot serve` handles them (`stopOnSignals`).
 */
import { loadConfig } from '../bot/config.ts';
import { startServer, stopOnSignals, type ServerOptions } from '../bot/serve.ts';

const options = JSON.parse(process.env.POLICYBOT_TEST_SERVER_OPTIONS ?? '{}') as ServerOptions;
const log = (line: string) => process.stderr.write(`${line}\n`);
const server = await startServer(loadConfig({ ...process.env }), log, options);
stopOnSignals(server, log);
process.stdout.write(`READY ${server.url}\n`);
