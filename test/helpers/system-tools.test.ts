import { describe, expect, it } from 'vitest';
import { KCAT, missingTool, requireTool } from './system-tools.js';

describe('system tools the integration tests need', () => {
  it('names the Debian package to install when a tool is missing', () => {
    const absent = { command: 'venice-test-no-such-tool', probe: ['-V'], debianPackage: 'no-such-package' };
    expect(missingTool(absent)).toBe(
      'venice-test-no-such-tool (no-such-package) is not installed: apt-get install -y no-such-package ' +
        '(or run the README test command, which installs it)',
    );
    expect(() => requireTool(absent)).toThrow('apt-get install -y no-such-package');
  });

  it('finds kcat, which the README test command installs', () => {
    expect(missingTool(KCAT)).toBeNull();
  });
});
