// The hooks' settings, read once from the environment the install command's wrapper sets (never from the
// workflow: the wrapper assigns them itself). The credential is read from its file here and nowhere else.
import { readFile, stat } from 'node:fs/promises';
import { GuardError } from '../lib/errors.js';
import { RUNNER_CREDENTIAL_PREFIX } from './protocol.js';

export const HOOK_ENV = {
  server: 'GUARD_RUNNER_SERVER',
  credentialFile: 'GUARD_RUNNER_CREDENTIAL_FILE',
  timeout: 'GUARD_RUNNER_HOOK_TIMEOUT',
} as const;

export const DEFAULT_TIMEOUT_SEC = { started: 3600, completed: 600 } as const;

export interface HookSettings {
  server: string;
  credential: string;
  /** The hook's own limit: the runner imposes none, and a hook that hangs would hold the runner. */
  timeoutMs: number;
}

export async function readHookSettings(
  env: NodeJS.ProcessEnv,
  hook: keyof typeof DEFAULT_TIMEOUT_SEC,
): Promise<HookSettings> {
  const server = env[HOOK_ENV.server];
  if (!server)
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: ${HOOK_ENV.server} is not set; re-run \`guard runner-hook install\` on this runner`,
    );
  try {
    new URL(server);
  } catch (error) {
    throw new GuardError('CONFIG_INVALID', `guard runner hook: ${HOOK_ENV.server} is not a URL`, {
      cause: error,
    });
  }
  const rawTimeout = env[HOOK_ENV.timeout];
  const timeoutSec = rawTimeout ? Number(rawTimeout) : DEFAULT_TIMEOUT_SEC[hook];
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: ${HOOK_ENV.timeout} must be a positive number of seconds`,
    );
  return {
    server,
    credential: await readCredential(env[HOOK_ENV.credentialFile]),
    timeoutMs: timeoutSec * 1000,
  };
}

async function readCredential(file: string | undefined): Promise<string> {
  if (!file)
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: ${HOOK_ENV.credentialFile} is not set; re-run \`guard runner-hook install\` on this runner`,
    );
  let mode: number;
  let text: string;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: cannot read the runner credential file ${file}; re-run \`guard runner-hook install\``,
      { cause: error },
    );
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: the runner credential file ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\` and rotate the credential with \`guard runner add\``,
    );
  const credential = text.trim();
  if (!credential.startsWith(RUNNER_CREDENTIAL_PREFIX))
    throw new GuardError(
      'CONFIG_INVALID',
      `guard runner hook: ${file} does not hold a runner credential (${RUNNER_CREDENTIAL_PREFIX}...); re-run \`guard runner-hook install\``,
    );
  return credential;
}
