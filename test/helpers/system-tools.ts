// The Debian tools some integration tests drive. A missing one fails the test with the package to
// install, instead of a bare `spawn kcat ENOENT`.
import { spawn, spawnSync } from 'node:child_process';

const SETUP = 'or run the README test command, which installs it';

export interface SystemTool {
  command: string;
  /** Arguments that exit 0 when the tool (and what it needs) is present. */
  probe: readonly string[];
  debianPackage: string;
}

export const KCAT: SystemTool = { command: 'kcat', probe: ['-V'], debianPackage: 'kcat' };
/** Debian's own python3: a python3 earlier on PATH (pyenv, a venv) does not see Debian's packages. */
export const KAFKA_PYTHON: SystemTool = {
  command: '/usr/bin/python3',
  probe: ['-c', 'import kafka'],
  debianPackage: 'python3-kafka',
};

/** librdkafka's Python binding (confluent-kafka), for transactions and cooperative rebalancing from librdkafka. */
export const CONFLUENT_KAFKA_PYTHON: SystemTool = {
  command: '/usr/bin/python3',
  probe: ['-c', 'import confluent_kafka'],
  debianPackage: 'python3-confluent-kafka',
};

const checked = new Map<string, string | null>();

/** Null when the tool runs; otherwise what is missing and how to install it. */
export function missingTool(tool: SystemTool): string | null {
  const key = `${tool.command} ${tool.probe.join(' ')}`;
  if (!checked.has(key)) {
    const result = spawnSync(tool.command, tool.probe, { stdio: 'ignore', timeout: 10_000 });
    checked.set(
      key,
      result.status === 0
        ? null
        : `${tool.command} (${tool.debianPackage}) is not installed: apt-get install -y ${tool.debianPackage} (${SETUP})`,
    );
  }
  return checked.get(key) ?? null;
}

/** Throws the install hint when the tool is missing. */
export function requireTool(tool: SystemTool): void {
  const missing = missingTool(tool);
  if (missing !== null) throw new Error(missing);
}

/** Debian's docker-compose (Compose 1.29): `config` validates a project without a container engine. */
export const DOCKER_COMPOSE: SystemTool = {
  command: 'docker-compose',
  probe: ['version'],
  debianPackage: 'docker-compose',
};

/** Runs a Python script with kafka-python (python3-kafka), collecting its output. */
export function runKafkaPython(
  script: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireTool(KAFKA_PYTHON);
  return new Promise((resolve, reject) => {
    const child = spawn(KAFKA_PYTHON.command, ['-c', script]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
