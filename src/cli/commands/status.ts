// `venice status` (alias -st): the running pipeline, one row per component.
import type { Command } from 'commander';
import { CliError, ExitCode, printJson, renderTable } from '../output.js';
import { addLocationOptions, configFromFlags, type ConfigFlags } from '../config-options.js';
import { formatDuration } from '../../config/duration.js';
import { findSupervisor } from '../../supervisor/discovery.js';
import {
  buildOrphansReport,
  buildReport,
  type ComponentReport,
  type OrphansReport,
  type PipelineReport,
} from '../../supervisor/report.js';
import { formatBytes } from '../../supervisor/process-info.js';
import { parseLogLine } from '../../supervisor/logs.js';
import { externalClusterStatus, renderClusterStatus, type ClusterStatus } from '../cluster-status.js';
import { findPipelineElsewhere, type PipelineElsewhere } from '../../supervisor/elsewhere.js';

export function registerStatusCommand(program: Command): void {
  const command = program
    .command('status')
    .description('Show the running pipeline: each component with pid, port, state, uptime, memory and health')
    .option('--json', 'print the status as JSON');
  addLocationOptions(command)
    .addHelpText(
      'after',
      '\nExit codes: 0 running, 3 not running.\n\nExamples:\n  venice status\n  venice -st\n' +
        "  venice status --json | jq '.components[] | {name, state, restarts}'",
    )
    .action(async (options: ConfigFlags & { json?: boolean }) => {
      const config = configFromFlags(options);
      const found = await findSupervisor(config.dataDir);
      if (found.status === 'not-running' && found.orphans.length > 0) {
        const report = await buildOrphansReport(found.state, config.dataDir, found.orphans);
        if (options.json) printJson(report);
        else process.stdout.write(renderOrphans(report) + '\n');
        process.exitCode = ExitCode.unavailable;
        return;
      }
      if (found.status !== 'running') {
        const unresponsive = found.status === 'unresponsive';
        const elsewhere = unresponsive ? null : findPipelineElsewhere(config);
        if (options.json) {
          printJson({ running: false, unresponsive, dataDir: config.dataDir, elsewhere });
          process.exitCode = ExitCode.unavailable;
          return;
        }
        if (elsewhere !== null) throw notHereButElsewhere(config.dataDir, elsewhere);
        throw new CliError(
          unresponsive
            ? `the supervisor (pid ${found.state.pid}) does not answer`
            : `Venice is not running (data dir ${config.dataDir})`,
          unresponsive
            ? 'stop it with `venice down`, then start again with `venice up`'
            : 'start it with `venice up`',
          ExitCode.unavailable,
        );
      }
      const report = await buildReport(found.state);
      // The embedded broker is a component of the table; an external cluster is asked what it is.
      const cluster = report.externalKafka
        ? await externalClusterStatus(report.bootstrapServers, config.kafkaClient)
        : null;
      if (options.json) printJson(cluster === null ? report : { ...report, cluster });
      else process.stdout.write(renderStatus(report, cluster) + '\n');
    });
}

/** No pipeline for this data dir, but another project's holds the ports this one would use. */
function notHereButElsewhere(dataDir: string, elsewhere: PipelineElsewhere): CliError {
  const where =
    elsewhere.dataDir !== null
      ? `data dir ${elsewhere.dataDir}`
      : elsewhere.projectDir !== null
        ? `started in ${elsewhere.projectDir}`
        : 'another project';
  const command =
    elsewhere.dataDir !== null
      ? `venice status --data-dir ${elsewhere.dataDir}`
      : elsewhere.projectDir !== null
        ? `cd ${elsewhere.projectDir} && venice status`
        : 'venice status from that project';
  return new CliError(
    `Venice is not running for this project (data dir ${dataDir}), but a pipeline is running elsewhere: ` +
      `its ${elsewhere.component} (pid ${elsewhere.pid}, ${where}) holds the ${elsewhere.portName} port ${elsewhere.port}`,
    `see it with \`${command}\`; to run this project's pipeline beside it, give it other ports ` +
      '(`venice up --help` lists the port flags)',
    ExitCode.unavailable,
  );
}

/** The human status: a summary line, the component table, and the last crash of each component. */
export function renderStatus(report: PipelineReport, cluster: ClusterStatus | null = null): string {
  const { supervisor } = report;
  const lines = [
    `Venice is ${supervisor.phase}: supervisor pid ${supervisor.pid}${supervisor.foreground ? ' (foreground)' : ''}, ` +
      `up ${formatDuration(supervisor.uptimeMs)}, ${formatBytes(supervisor.rssBytes)}; data in ${report.dataDir}`,
    `Kafka: ${report.bootstrapServers}${report.externalKafka ? ' (external cluster)' : ''}`,
    ...(cluster !== null ? renderClusterStatus(cluster) : []),
    '',
  ];
  const rows = report.components.map(componentRow);
  for (const replaced of report.replaced)
    rows.push([replaced.name, null, null, 'external', null, null, null, null]);
  lines.push(renderTable(COLUMNS, rows));
  for (const component of report.components) {
    if (component.message && component.state !== 'running')
      lines.push(`\n${component.name}: ${component.message}`);
    const crash = component.lastCrash;
    if (!crash) continue;
    const ago = formatDuration(Date.now() - Date.parse(crash.at));
    lines.push(`\n${component.name} last crashed ${ago} ago: it ${crash.reason}. Its last log lines:`);
    for (const line of crash.logTail.slice(-5)) {
      const entry = parseLogLine(line, component.name, null);
      lines.push(`  ${entry.level ? `${entry.level} ` : ''}${entry.message.split('\n')[0]}`);
    }
  }
  return lines.join('\n');
}

const COLUMNS = ['component', 'pid', 'ports', 'state', 'uptime', 'memory', 'health', 'restarts'];

function componentRow(component: ComponentReport): (string | number | null)[] {
  return [
    component.name,
    component.pid,
    component.ports.map((port) => port.port).join(','),
    component.state,
    component.uptimeMs !== null ? formatDuration(component.uptimeMs) : null,
    formatBytes(component.rssBytes),
    component.health,
    component.restarts,
  ];
}

/** Components left running by a supervisor that was killed: nothing supervises or restarts them. */
export function renderOrphans(report: OrphansReport): string {
  const who = report.supervisor ? `its supervisor (pid ${report.supervisor.pid})` : 'its supervisor';
  return [
    `Venice is not running properly: ${who} is gone, but ${report.components.length} of its components still run without it (orphaned); data in ${report.dataDir}`,
    '',
    renderTable(COLUMNS, report.components.map(componentRow)),
    '',
    'Nothing restarts them. Stop them with `venice down`, or `venice up` to stop them and start again.',
  ].join('\n');
}
