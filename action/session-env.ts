// The environment a guarded step finds: how `guard` reaches the server, and where it records. Written by
// the action's main step, read by the shell proxy and the runner hook.
export const SESSION_ENV = {
  server: 'GUARD_SERVER_URL',
  credential: 'GUARD_SESSION_TOKEN',
  sessionId: 'GUARD_SESSION_ID',
  auditDir: 'GUARD_AUDIT_DIR',
} as const;

export const POLICY_FILE = 'policy.json';
export const MASK_FILE = 'mask-values.json';
export const IDENTITY_FILE = 'identity.json';
/** The deployment gate approval the server linked to the session, for the manifest (absent when none). */
export const DEPLOYMENT_FILE = 'deployment.json';
