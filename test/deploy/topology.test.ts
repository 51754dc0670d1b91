// The command lines the deployments give Venice's services are ones the real CLI accepts: every flag
// is an option of that command, so a renamed flag fails here rather than in a container.
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS } from '../../src/cli/commands/index.js';
import { VENICE_SERVICES, serviceAddresses } from '../../src/deploy/topology.js';

function veniceProgram(): Command {
  const program = new Command();
  for (const register of COMMAND_GROUPS) register(program);
  return program;
}

describe('the Venice services of a deployment', () => {
  const program = veniceProgram();
  const addresses = serviceAddresses('kafka-1:9092,kafka-2:9092', (name) => name);

  for (const service of VENICE_SERVICES) {
    it(`${service.name}: its command and every flag exist in the CLI`, () => {
      const [command, ...rest] = service.args(addresses);
      expect(command).toBe(service.name);
      const registered = program.commands.find((c) => c.name() === command);
      expect(registered, `venice ${command}`).toBeDefined();
      const known = new Set(registered!.options.map((option: Option) => option.long));
      const flags = rest.filter((arg) => arg.startsWith('--'));
      expect(flags).toContain('--bootstrap-servers');
      for (const flag of flags) expect(known, `venice ${command} ${flag}`).toContain(flag);
      // Every flag here takes a value: flags and values alternate.
      expect(rest.length).toBe(flags.length * 2);
    });
  }

  it('services listen on every interface of their container, on their own port', () => {
    for (const service of VENICE_SERVICES) {
      const args = service.args(addresses);
      expect(args[args.indexOf('--host') + 1]).toBe('0.0.0.0');
      expect(args[args.indexOf('--port') + 1]).toBe(String(service.port));
    }
  });
});
