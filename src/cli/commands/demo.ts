// `venice demo`: runs the demo component in the foreground: sets the project's pipeline up (the order
// schema, its SQL files, its connectors) and produces orders. `venice up --demo` runs it supervised.
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { COMPONENT_CATALOG } from '../../supervisor/components.js';
import { componentDataDir } from '../../supervisor/paths.js';
import { reportingConfigErrors } from '../config-options.js';
import {
  BOOTSTRAP_OPTION_FLAGS,
  BOOTSTRAP_OPTION_HELP,
  resolveBootstrapServers,
  resolveKafkaClientSettings,
} from '../connection.js';
import { resolveSqlUrl } from '../ksql/server-url.js';
import { REGISTRY_URL_FLAGS, REGISTRY_URL_HELP, resolveRegistryUrl } from '../registry-url.js';
import { logLevelOption, startFailure } from '../service-options.js';
import { CONNECT_URL_HELP, resolveConnectUrl } from './connectors/client.js';
import { SETTINGS, type LogLevel } from '../../config/settings.js';
import { readFlags } from '../../config/flags.js';
import { addHttpClientOptions, cliFetch, type HttpClientFlags } from '../http-client.js';

interface DemoCommandOptions extends HttpClientFlags {
  projectDir?: string;
  dataDir?: string;
  bootstrapServers?: string;
  registryUrl?: string;
  sqlUrl?: string;
  connectUrl?: string;
  rate?: string;
  count?: string;
  seed?: string;
  logLevel: LogLevel;
}

export function registerDemoCommand(program: Command): void {
  const command = program
    .command('demo')
    .description("Run the demo in the foreground: set the project's pipeline up, then produce orders")
    .option(
      '--project-dir <dir>',
      'folder with sql/, connectors/ and schemas/order.avsc (default: this one; without sql/, the ecommerce template)',
    )
    .option(
      '--data-dir <dir>',
      "the demo's own folder, for its tally (default: .venice/demo of this project)",
    )
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .option(
      '--sql-url <url>',
      'the SQL engine (default: $VENICE_SQL_URL, venice.yaml, or http://127.0.0.1:8088)',
    )
    .option('--connect-url <url>', CONNECT_URL_HELP)
    .option(
      '--rate <per-second>',
      `${SETTINGS.demoRate.help} (default: demo.rate of venice.yaml, or ${SETTINGS.demoRate.defaultText})`,
    )
    .option('--count <n>', `${SETTINGS.demoCount.help} (default: demo.count of venice.yaml, or no end)`)
    .option(
      '--seed <seed>',
      `${SETTINGS.demoSeed.help} (default: demo.seed of venice.yaml, or one kept in the data dir)`,
    )
    .addOption(logLevelOption());
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      '\nUnder `venice up --demo` (or with `demo` in the components of venice.yaml) the demo runs supervised.\n' +
        'It applies sql/*.sql (CREATE ... IF NOT EXISTS) and connectors/*.json (PUT /connectors/<name>/config),\n' +
        'then writes orders to the `orders` topic, counting them in <data dir>/tally.json.',
    )
    .action(async (options: DemoCommandOptions) => {
      const config = reportingConfigErrors(() => loadConfig({ catalog: COMPONENT_CATALOG }));
      const given = reportingConfigErrors(() =>
        readFlags(
          { demoRate: options.rate, demoCount: options.count, demoSeed: options.seed },
          COMPONENT_CATALOG,
        ),
      );
      const [{ startDemo }, { createLogger, runUntilSignal }] = await Promise.all([
        import('../../demo/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createLogger({ name: 'demo', level: options.logLevel });
      const running = startDemo({
        projectDir: path.resolve(options.projectDir ?? config.projectDir),
        dataDir: path.resolve(options.dataDir ?? componentDataDir(config.dataDir, 'demo')),
        bootstrapServers: resolveBootstrapServers(options.bootstrapServers),
        registryUrl: resolveRegistryUrl(options.registryUrl),
        sqlUrl: resolveSqlUrl(options.sqlUrl),
        connectUrl: resolveConnectUrl(options.connectUrl),
        rate: given.demoRate ?? config.demo.rate,
        count: given.demoCount !== undefined ? given.demoCount : config.demo.count,
        seed: given.demoSeed !== undefined ? given.demoSeed : config.demo.seed,
        logger,
        kafkaClient: resolveKafkaClientSettings(),
        fetch: cliFetch(options),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      // A feed that fails ends the process, for the supervisor to restart it.
      void running.then((demo) =>
        demo.feeding.catch((error: unknown) => {
          logger.error({ err: error }, 'the order feed failed');
          process.exit(1);
        }),
      );
      process.exit(await runUntilSignal(running, { name: 'demo', logger }));
    });
}
