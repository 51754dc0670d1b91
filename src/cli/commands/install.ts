// `venice install [dir]` (alias -i): scaffolds a pipeline project from a template.
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, ExitCode, printJson, printTable } from '../output.js';
import { DEFAULT_TEMPLATE, listTemplates, scaffold, ScaffoldError } from '../../config/scaffold.js';
import { applySecurity, existingSecureFiles, type SecureProject } from '../secure-project.js';

interface InstallOptions {
  template: string;
  force?: boolean;
  secure?: boolean;
  list?: boolean;
  json?: boolean;
}

export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('Create a pipeline project: venice.yaml, SQL, connector configs and an order schema')
    .argument('[dir]', 'directory to create it in', '.')
    .option('-t, --template <name>', 'project template', DEFAULT_TEMPLATE)
    .option('--force', 'overwrite files that already exist')
    .option(
      '--secure',
      'with security on: SASL/TLS listeners, ACLs, HTTP basic auth, generated passwords in secrets/ (SECURITY.md)',
    )
    .option('--list', 'list the templates instead')
    .option('--json', 'with --list: print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  venice install my-shop\n  venice install my-shop --secure\n  venice -i . --template ecommerce\n' +
        '  venice install --list',
    )
    .action(async (dir: string, options: InstallOptions) => {
      const templates = listTemplates();
      if (options.list) {
        if (options.json) printJson(templates);
        else
          printTable(
            ['template', 'description'],
            templates.map((template) => [template.name, template.description]),
          );
        return;
      }
      const target = path.resolve(dir);
      let result;
      try {
        // Checked before the template is copied, so a refusal leaves nothing half-written.
        const secureFiles = options.secure ? existingSecureFiles(target) : [];
        if (secureFiles.length > 0 && !options.force)
          throw new ScaffoldError('files exist', 'exists', secureFiles);
        result = scaffold(target, options.template, { force: options.force });
      } catch (error) {
        if (error instanceof ScaffoldError && error.kind === 'unknown-template') {
          throw new CliError(
            error.message,
            `the templates are: ${templates.map((template) => template.name).join(', ')}`,
            ExitCode.notFound,
          );
        }
        if (error instanceof ScaffoldError) {
          throw new CliError(
            `${error.message}: ${error.files.join(', ')}`,
            'choose an empty directory, or pass --force to overwrite them',
          );
        }
        throw error;
      }
      const secure = options.secure ? await applySecurity(target, { force: true }) : null;
      const written = [...new Set([...result.written, ...(secure?.written ?? [])])];
      process.stdout.write(
        `Created a "${options.template}" pipeline project${secure ? ', with security on,' : ''} in ${target}:\n`,
      );
      for (const file of written) {
        process.stdout.write(`  ${file}${result.overwritten.includes(file) ? '  (overwritten)' : ''}\n`);
      }
      const cd = path.relative(process.cwd(), target);
      if (secure) {
        printSecureNextSteps(cd, secure);
        return;
      }
      process.stdout.write(
        `\nNext:\n${cd ? `  cd ${cd}\n` : ''}  venice up                # the pipeline, fed with orders by its demo\n` +
          '  venice psql -c "SELECT * FROM inventory ORDER BY remaining LIMIT 5"\n',
      );
    });
}

function printSecureNextSteps(cd: string, secure: SecureProject): void {
  process.stdout.write(
    '\nThe passwords are in secrets/ (readable by you only, kept out of git); SECURITY.md explains the layout.\n' +
      `\nNext:\n${cd ? `  cd ${cd}\n` : ''}  venice up\n` +
      "  # once: the Kafka users and the example application's ACLs\n" +
      secure.setupCommands.map((command) => `  ${command}\n`).join('') +
      '\nApplications connect to 127.0.0.1:9093 with SASL_SSL, SCRAM-SHA-512 and certs/ca.pem (see SECURITY.md).\n',
  );
}
