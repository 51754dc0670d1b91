// `venice deploy compose|kubernetes`: writes a deployment to hand over (a 3-node Apache Kafka in KRaft
// mode, PostgreSQL and Venice's services). The files are built in src/deploy; this only asks and writes.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ProjectFile } from '../../deploy/files.js';
import { CliError, ExitCode } from '../output.js';
import { veniceVersion } from '../version.js';

interface CommonOptions {
  out: string;
  force: boolean;
  pack: boolean;
  clusterId?: string;
}

interface KubernetesCommandOptions extends CommonOptions {
  image?: string;
  kafkaStorage: string;
  postgresStorage: string;
}

function storageOption(value: string): string {
  if (!/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/.test(value))
    throw new InvalidArgumentError(
      `expected a Kubernetes quantity such as 20Gi, got ${JSON.stringify(value)}.`,
    );
  return value;
}

function withCommonOptions(command: Command, defaultOut: string): Command {
  return command
    .option('--out <dir>', 'folder to write the project to', defaultOut)
    .option(
      '--force',
      'overwrite files already there (with a new password, and a new cluster id unless --cluster-id)',
      false,
    )
    .option('--no-pack', 'install the published venice-pipeline in the image instead of packing this one')
    .option(
      '--cluster-id <id>',
      "the Kafka cluster id to keep (an existing deployment's); default: a new one",
    );
}

/** Packs the package into the image folder (unless --no-pack), then writes the files. */
async function writeDeployment(
  options: CommonOptions,
  build: (settings: {
    version: string;
    clusterId: string;
    postgresPassword: string;
    tarball: string | null;
  }) => ProjectFile[],
): Promise<void> {
  const [{ writeProject, ExistingFilesError }, { packPackage, tarballName }, secrets, { IMAGE_FOLDER }] =
    await Promise.all([
      import('../../deploy/files.js'),
      import('../../deploy/image.js'),
      import('../../deploy/secrets.js'),
      import('../../deploy/project.js'),
    ]);
  let clusterId: string;
  try {
    clusterId =
      options.clusterId === undefined
        ? secrets.newKafkaClusterId()
        : secrets.checkKafkaClusterId(options.clusterId);
  } catch (error) {
    throw new CliError((error as Error).message, 'omit --cluster-id to draw a new one', ExitCode.usage);
  }
  const version = veniceVersion();
  const out = path.resolve(options.out);
  const files = build({
    version,
    clusterId,
    postgresPassword: secrets.newPassword(),
    tarball: options.pack ? tarballName(version) : null,
  });
  const existing = files.filter((file) => fs.existsSync(path.join(out, file.path))).map((file) => file.path);
  if (existing.length > 0 && !options.force)
    throw new CliError(
      `${out} already holds ${existing.join(', ')}`,
      'pass --force to overwrite them (keep the running cluster with --cluster-id), or choose another --out',
    );
  if (options.pack) {
    const imageFolder = path.join(out, IMAGE_FOLDER);
    fs.mkdirSync(imageFolder, { recursive: true });
    try {
      await packPackage(imageFolder);
    } catch (error) {
      throw new CliError(`could not pack venice for the image: ${(error as Error).message}`);
    }
  }
  try {
    writeProject(out, files, options.force);
  } catch (error) {
    if (error instanceof ExistingFilesError)
      throw new CliError(error.message, 'pass --force to overwrite them');
    throw error;
  }
  process.stdout.write(`Wrote ${files.length} files to ${out}:\n`);
  for (const file of files) process.stdout.write(`  ${file.path}\n`);
  process.stdout.write(`Next: read ${path.join(out, 'README.md')}\n`);
}

export function registerDeployCommand(program: Command): void {
  const deploy = program
    .command('deploy')
    .description('Write a deployment to hand over: 3-node Apache Kafka, PostgreSQL and the Venice services')
    .addHelpText(
      'after',
      '\nExamples:\n  venice deploy compose --out ./venice-compose      # then: docker compose up -d --build\n' +
        '  venice deploy kubernetes --out ./venice-k8s --image registry.example.com/venice:0.1.0\n' +
        '\nSee docs/scale.md for when to move to a cluster and what state moves with you.',
    );

  withCommonOptions(
    deploy
      .command('compose')
      .description('Write a docker compose project (Kafka in KRaft mode, PostgreSQL, Venice)'),
    'venice-compose',
  ).action(async (options: CommonOptions) => {
    const { composeFiles } = await import('../../deploy/project.js');
    await writeDeployment(options, composeFiles);
  });

  withCommonOptions(
    deploy
      .command('kubernetes')
      .alias('k8s')
      .description(
        'Write Kubernetes manifests (StatefulSets for Kafka and PostgreSQL, Deployments for Venice)',
      ),
    'venice-kubernetes',
  )
    .option('--image <name>', 'the Venice image as the cluster pulls it (default: venice-pipeline:<version>)')
    .option('--kafka-storage <size>', 'volume size of each Kafka node', storageOption, '20Gi')
    .option('--postgres-storage <size>', "volume size of PostgreSQL's data", storageOption, '10Gi')
    .action(async (options: KubernetesCommandOptions) => {
      const { kubernetesFiles } = await import('../../deploy/project.js');
      await writeDeployment(options, (settings) =>
        kubernetesFiles({
          ...settings,
          image: options.image,
          kafkaStorage: options.kafkaStorage,
          postgresStorage: options.postgresStorage,
        }),
      );
    });
}
