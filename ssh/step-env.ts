// What of the runner's environment an SSH step's script gets on the remote host: the job's context, the
// step's name, and only the variables the step names in GUARD_SSH_ENV. Nothing else travels: the runner's
// environment holds tokens (the guard session credential, the runner's own) that a remote host must never
// see. Pure: no I/O.
import { GuardError } from '../lib/errors.js';

/** The job context every SSH step gets, as on the runner. */
export const CONTEXT_VARIABLES = [
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_ID',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_RUN_NUMBER',
  'GITHUB_SHA',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_ACTOR',
  'GITHUB_TRIGGERING_ACTOR',
  'GITHUB_WORKFLOW',
  'GITHUB_JOB',
  'GITHUB_EVENT_NAME',
  'GITHUB_SERVER_URL',
] as const;

/** The variable in which a step names what else to forward: `env: { GUARD_SSH_ENV: 'RELEASE,REGION' }`. */
export const FORWARD_LIST = 'GUARD_SSH_ENV';

/** Never forwarded, even when named: guard's own session and the runner's tokens. */
const NEVER = /^(?:GUARD_|ACTIONS_|RUNNER_|GITHUB_TOKEN$)/;

export function sshStepEnv(runnerEnv: NodeJS.ProcessEnv, stepName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CONTEXT_VARIABLES) {
    const value = runnerEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.GUARD_STEP_NAME = stepName;
  const names = (runnerEnv[FORWARD_LIST] ?? '').split(/[\s,]+/).filter((name) => name !== '');
  for (const name of names) {
    if (NEVER.test(name))
      throw new GuardError(
        'BAD_INPUT',
        `guard: ${FORWARD_LIST} names ${name}, which guard never sends to a remote host (guard's session, the runner's tokens); pass what the script needs under another name`,
      );
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new GuardError(
        'BAD_INPUT',
        `guard: ${FORWARD_LIST} names '${name}', which is not a variable name`,
      );
    const value = runnerEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
