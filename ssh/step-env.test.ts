import { describe, expect, it } from 'vitest';
import { sshStepEnv } from './step-env.js';

const runner: NodeJS.ProcessEnv = {
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_RUN_ID: '42',
  GITHUB_TOKEN: 'ghs_runner_token_value',
  GUARD_SESSION_TOKEN: 'gss_session_credential',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  HOME: '/home/runner',
  PATH: '/usr/bin',
  RELEASE: 'v1.2.3',
  REGION: 'sa-east-1',
};

describe('sshStepEnv', () => {
  it('sends the job context and the step name, and nothing else of the runner', () => {
    expect(sshStepEnv(runner, 'Restart web')).toEqual({
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
      GITHUB_RUN_ID: '42',
      GUARD_STEP_NAME: 'Restart web',
    });
  });

  it('forwards the variables the step names in GUARD_SSH_ENV; a missing one stays unset', () => {
    const env = sshStepEnv({ ...runner, GUARD_SSH_ENV: 'RELEASE, REGION MISSING' }, 'deploy');
    expect(env).toMatchObject({ RELEASE: 'v1.2.3', REGION: 'sa-east-1' });
    expect(env).not.toHaveProperty('MISSING');
    expect(env).not.toHaveProperty('HOME');
  });

  it("refuses to forward guard's session or the runner's tokens, even when named", () => {
    for (const name of ['GUARD_SESSION_TOKEN', 'GITHUB_TOKEN', 'ACTIONS_RUNTIME_TOKEN'])
      expect(() => sshStepEnv({ ...runner, GUARD_SSH_ENV: name }, 'deploy')).toThrow(
        /never sends to a remote host/,
      );
    expect(() => sshStepEnv({ ...runner, GUARD_SSH_ENV: 'A-B' }, 'deploy')).toThrow(/not a variable name/);
  });
});
