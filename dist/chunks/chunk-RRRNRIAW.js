import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// action/session-env.ts
var SESSION_ENV = {
  server: "GUARD_SERVER_URL",
  credential: "GUARD_SESSION_TOKEN",
  sessionId: "GUARD_SESSION_ID",
  auditDir: "GUARD_AUDIT_DIR"
};
var POLICY_FILE = "policy.json";
var MASK_FILE = "mask-values.json";
var IDENTITY_FILE = "identity.json";
var DEPLOYMENT_FILE = "deployment.json";

export {
  SESSION_ENV,
  POLICY_FILE,
  MASK_FILE,
  IDENTITY_FILE,
  DEPLOYMENT_FILE
};
