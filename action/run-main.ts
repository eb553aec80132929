// The action's main step: exchange the job's OIDC token for a guard session, put `guard` on PATH for the
// steps that follow, and hand the session to them and to `post`.
import * as core from '@actions/core';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { approverLabels } from '../audit/manifest.js';
import { GuardServerClient } from '../client/server-api.js';
import { describeError, GuardError } from '../lib/errors.js';
import { DEPLOYMENT_FILE, IDENTITY_FILE, MASK_FILE, POLICY_FILE, SESSION_ENV } from './session-env.js';
import { readMainSettings } from './settings.js';
import { saveActionState } from './state.js';

export async function run(distDir: string): Promise<void> {
  try {
    const settings = readMainSettings();
    const token = await requestIdToken(settings.audience);
    const client = new GuardServerClient(settings.server);
    core.info(`guard: opening a session with ${settings.server}`);
    const opened = await client.openSession(token, settings.job);
    const { session, policy } = opened;
    core.setSecret(session.credential);

    const root = join(settings.runnerTemp, 'guard', session.id);
    const privateDir = join(root, 'private');
    const auditDir = join(root, 'record');
    const binDir = join(root, 'bin');
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    await mkdir(join(auditDir, 'steps'), { recursive: true });
    await mkdir(binDir, { recursive: true });
    await writeFile(join(privateDir, POLICY_FILE), JSON.stringify(policy, null, 2), { mode: 0o600 });
    await writeFile(join(privateDir, IDENTITY_FILE), JSON.stringify(opened.identity, null, 2), {
      mode: 0o600,
    });
    await writeFile(join(privateDir, MASK_FILE), JSON.stringify(settings.mask), { mode: 0o600 });
    if (opened.deployment) {
      await writeFile(join(privateDir, DEPLOYMENT_FILE), JSON.stringify(opened.deployment, null, 2), {
        mode: 0o600,
      });
    }
    await installShim(binDir, distDir);

    core.addPath(binDir);
    core.exportVariable(SESSION_ENV.server, settings.server);
    core.exportVariable(SESSION_ENV.credential, session.credential);
    core.exportVariable(SESSION_ENV.sessionId, session.id);
    core.exportVariable(SESSION_ENV.auditDir, auditDir);
    saveActionState({
      server: settings.server,
      sessionId: session.id,
      credential: session.credential,
      auditDir,
    });
    core.setOutput('session-id', session.id);
    core.setOutput('policy', `${policy.name} ${policy.version}`);

    core.info(`guard: session ${session.id} open until ${session.expiresAt}`);
    core.info(
      `guard: policy ${policy.name} (${policy.version}); recording ${policy.recording}; masking ${policy.masking.packs.join(', ')}`,
    );
    core.info(
      `guard: approvals need ${policy.approvals.min} of ${policy.approvals.reviewers.join(', ') || '(no reviewers configured)'}`,
    );
    if (opened.deployment) {
      const { environment, approvals } = opened.deployment;
      core.info(
        `guard: the deployment to ${environment} was approved by ${approverLabels(approvals).join(', ') || 'policy'}; the approval goes into this job's evidence`,
      );
    }
    core.info('guard: use `shell: guard {0}` on the steps to guard');
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

async function requestIdToken(audience: string): Promise<string> {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw new GuardError(
      'TOKEN_MISSING',
      'guard: this job cannot request an OIDC token; add `permissions: id-token: write` to the workflow or job',
    );
  }
  try {
    return await core.getIDToken(audience);
  } catch (error) {
    throw new GuardError(
      'TOKEN_MISSING',
      'guard: could not get an OIDC token from the runner; check `permissions: id-token: write`',
      { cause: error },
    );
  }
}

/** `guard` on PATH runs this same bundle with the runner's node, so a step needs nothing installed. */
async function installShim(binDir: string, distDir: string): Promise<void> {
  const shim = join(binDir, 'guard');
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  await writeFile(
    shim,
    `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(join(distDir, 'guard.js'))} "$@"\n`,
  );
  await chmod(shim, 0o755);
}
