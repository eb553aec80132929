import { describe, expect, it } from 'vitest';
import { updateEnvFile } from './env-file.js';

describe('updateEnvFile', () => {
  it('sets keys in place, keeps other lines, and leaves one entry per key when run twice', () => {
    const before =
      'LANG=C.UTF-8\nACTIONS_RUNNER_HOOK_JOB_STARTED=/opt/cleanup.sh\nhttps_proxy=http://proxy:3128\n';
    const entries = {
      ACTIONS_RUNNER_HOOK_JOB_STARTED: '/opt/g/job-started.sh',
      GUARD_RUNNER_SERVER: 'https://g',
    };
    const once = updateEnvFile(before, entries);
    expect(once.text).toBe(
      'LANG=C.UTF-8\nACTIONS_RUNNER_HOOK_JOB_STARTED=/opt/g/job-started.sh\nhttps_proxy=http://proxy:3128\nGUARD_RUNNER_SERVER=https://g\n',
    );
    expect(once.replaced).toEqual([{ key: 'ACTIONS_RUNNER_HOOK_JOB_STARTED', previous: '/opt/cleanup.sh' }]);
    const twice = updateEnvFile(once.text, entries);
    expect(twice.text).toBe(once.text);
    expect(twice.replaced).toEqual([]);
  });

  it('drops a duplicate of a key it sets, and refuses a value that would add a line', () => {
    expect(updateEnvFile('A=1\nA=2\n', { A: '3' }).text).toBe('A=3\n');
    expect(() => updateEnvFile('', { A: 'x\nACTIONS_RUNNER_HOOK_JOB_STARTED=/tmp/evil.sh' })).toThrow(
      TypeError,
    );
  });
});
