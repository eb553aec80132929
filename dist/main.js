import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  addPath,
  exportVariable,
  getIDToken,
  info,
  readMainSettings,
  saveActionState,
  setFailed,
  setOutput,
  setSecret
} from "./chunks/chunk-MVBN2OJY.js";
import {
  approverLabels
} from "./chunks/chunk-A5XFMG5Z.js";
import {
  DEPLOYMENT_FILE,
  IDENTITY_FILE,
  MASK_FILE,
  POLICY_FILE,
  SESSION_ENV
} from "./chunks/chunk-RRRNRIAW.js";
import {
  GuardServerClient
} from "./chunks/chunk-RZN5DC6H.js";
import "./chunks/chunk-PPEQLLQ3.js";
import "./chunks/chunk-TF3SHLX6.js";
import {
  GuardError,
  describeError
} from "./chunks/chunk-I2IPMUGB.js";
import "./chunks/chunk-VTIIOCZ3.js";

// action/main.ts
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

// action/run-main.ts
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
async function run(distDir) {
  try {
    const settings = readMainSettings();
    const token = await requestIdToken(settings.audience);
    const client = new GuardServerClient(settings.server);
    info(`guard: opening a session with ${settings.server}`);
    const opened = await client.openSession(token, settings.job);
    const { session, policy } = opened;
    setSecret(session.credential);
    const root = join(settings.runnerTemp, "guard", session.id);
    const privateDir = join(root, "private");
    const auditDir = join(root, "record");
    const binDir = join(root, "bin");
    await mkdir(privateDir, { recursive: true, mode: 448 });
    await mkdir(join(auditDir, "steps"), { recursive: true });
    await mkdir(binDir, { recursive: true });
    await writeFile(join(privateDir, POLICY_FILE), JSON.stringify(policy, null, 2), { mode: 384 });
    await writeFile(join(privateDir, IDENTITY_FILE), JSON.stringify(opened.identity, null, 2), {
      mode: 384
    });
    await writeFile(join(privateDir, MASK_FILE), JSON.stringify(settings.mask), { mode: 384 });
    if (opened.deployment) {
      await writeFile(join(privateDir, DEPLOYMENT_FILE), JSON.stringify(opened.deployment, null, 2), {
        mode: 384
      });
    }
    await installShim(binDir, distDir);
    addPath(binDir);
    exportVariable(SESSION_ENV.server, settings.server);
    exportVariable(SESSION_ENV.credential, session.credential);
    exportVariable(SESSION_ENV.sessionId, session.id);
    exportVariable(SESSION_ENV.auditDir, auditDir);
    saveActionState({
      server: settings.server,
      sessionId: session.id,
      credential: session.credential,
      auditDir
    });
    setOutput("session-id", session.id);
    setOutput("policy", `${policy.name} ${policy.version}`);
    info(`guard: session ${session.id} open until ${session.expiresAt}`);
    info(
      `guard: policy ${policy.name} (${policy.version}); recording ${policy.recording}; masking ${policy.masking.packs.join(", ")}`
    );
    info(
      `guard: approvals need ${policy.approvals.min} of ${policy.approvals.reviewers.join(", ") || "(no reviewers configured)"}`
    );
    if (opened.deployment) {
      const { environment, approvals } = opened.deployment;
      info(
        `guard: the deployment to ${environment} was approved by ${approverLabels(approvals).join(", ") || "policy"}; the approval goes into this job's evidence`
      );
    }
    info("guard: use `shell: guard {0}` on the steps to guard");
  } catch (error) {
    setFailed(describeError(error));
  }
}
async function requestIdToken(audience) {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw new GuardError(
      "TOKEN_MISSING",
      "guard: this job cannot request an OIDC token; add `permissions: id-token: write` to the workflow or job"
    );
  }
  try {
    return await getIDToken(audience);
  } catch (error) {
    throw new GuardError(
      "TOKEN_MISSING",
      "guard: could not get an OIDC token from the runner; check `permissions: id-token: write`",
      { cause: error }
    );
  }
}
async function installShim(binDir, distDir) {
  const shim = join(binDir, "guard");
  const quote = (value) => `'${value.replaceAll("'", "'\\''")}'`;
  await writeFile(
    shim,
    `#!/bin/sh
exec ${quote(process.execPath)} ${quote(join(distDir, "guard.js"))} "$@"
`
  );
  await chmod(shim, 493);
}

// action/main.ts
await run(dirname(fileURLToPath(import.meta.url)));
