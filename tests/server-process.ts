/**
 * `npm start` as a child process for the tests and the fault benchmark: the configuration from the environment only
 * (never a developer's .env), ServerOptions as JSON in POLICYBOT_TEST_SERVER_OPTIONS, "READY <url>" on stdout once
 * it serves, and SIGTERM / SIGINT handled exactly as `policybot serve` handles them (`stopOnSignals`).
 */
import { loadConfig } from '../bot/app/config.ts';
import { configSecrets, createLogger } from '../bot/logger.ts';
import { startServer, stopOnSignals, type ServerOptions } from '../bot/app/serve.ts';

const options = JSON.parse(process.env.POLICYBOT_TEST_SERVER_OPTIONS ?? '{}') as ServerOptions;
const config = loadConfig({ ...process.env });
const logger = createLogger({ secrets: configSecrets(config) });
const server = await startServer(config, logger, options);
stopOnSignals(server, logger);
process.stdout.write(`READY ${server.url}\n`);
