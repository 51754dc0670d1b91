// One set of deployment settings for the deploy tests: fixed secrets, so a failure reads the same twice.
import type { KubernetesProjectOptions, ProjectOptions } from '../../src/deploy/project.js';

export const PROJECT: ProjectOptions = {
  version: '0.1.0',
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qk',
  postgresPassword: 'f00dfeedcafe',
  tarball: 'venice-pipeline-0.1.0.tgz',
};

export const KUBERNETES_PROJECT: KubernetesProjectOptions = {
  ...PROJECT,
  kafkaStorage: '20Gi',
  postgresStorage: '10Gi',
};
