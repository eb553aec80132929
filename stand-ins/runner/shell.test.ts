import { describe, expect, it } from 'vitest';
import { formatArgs, parseShell } from './shell.js';

describe('shell templates', () => {
  it('uses the runner templates for built-in shells and the unspecified default', () => {
    expect(parseShell('bash', true)).toEqual({
      command: 'bash',
      args: '--noprofile --norc -eo pipefail {0}',
      extension: '.sh',
    });
    expect(parseShell(undefined, true)).toEqual({ command: 'bash', args: '-e {0}', extension: '.sh' });
    expect(parseShell(undefined, false)).toEqual({ command: 'sh', args: '-e {0}', extension: '.sh' });
    expect(parseShell('sh', true).args).toBe('-e {0}');
  });

  it('treats anything else as COMMAND [ARGS] with {0} for the script', () => {
    const shell = parseShell('guard --db orders-prod {0}', true);
    expect(shell).toEqual({ command: 'guard', args: '--db orders-prod {0}', extension: '' });
    expect(formatArgs(shell.args, '/tmp/s')).toEqual(['--db', 'orders-prod', '/tmp/s']);
    expect(formatArgs(`-c "exec sh '{0}'"`, '/t m/p')).toEqual(['-c', "exec sh '/t m/p'"]);
  });
});
