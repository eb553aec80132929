// What a guarded step learns from the job: the session the action opened, its policy and the values to
// mask. Missing pieces fail the step before anything runs.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MASK_FILE, POLICY_FILE, SESSION_ENV } from '../action/session-env.js';
import type { SessionPolicy } from '../client/server-api.js';
import { GuardError } from '../lib/errors.js';

export interface StepSession {
  server: string;
  credential: string;
  sessionId: string;
  auditDir: string;
  policy: SessionPolicy;
  maskValues: string[];
}

export async function readStepSession(env: NodeJS.ProcessEnv): Promise<StepSession> {
  const server = env[SESSION_ENV.server];
  const credential = env[SESSION_ENV.credential];
  const sessionId = env[SESSION_ENV.sessionId];
  const auditDir = env[SESSION_ENV.auditDir];
  if (!server || !credential || !sessionId || !auditDir) {
    throw new GuardError(
      'SESSION_INVALID',
      'guard: this step has no guard session; add `- uses: hoop/guard@v1` with `server:` before the first `shell: guard {0}` step (and check it succeeded)',
    );
  }
  const privateDir = join(dirname(auditDir), 'private');
  let policy: SessionPolicy;
  let maskValues: string[];
  try {
    policy = JSON.parse(await readFile(join(privateDir, POLICY_FILE), 'utf8')) as SessionPolicy;
    maskValues = JSON.parse(await readFile(join(privateDir, MASK_FILE), 'utf8')) as string[];
  } catch (error) {
    throw new GuardError(
      'SESSION_INVALID',
      `guard: the session files in ${privateDir} are missing or damaged; re-run the job`,
      { cause: error },
    );
  }
  return { server, credential, sessionId, auditDir, policy, maskValues };
}
