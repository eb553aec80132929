import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// lib/errors.ts
var ErrorCodes = {
  BAD_INPUT: 400,
  CONFIG_INVALID: 500,
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REPLAYED: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_ALG_NOT_ALLOWED: 401,
  TOKEN_ISSUER_UNTRUSTED: 401,
  TOKEN_AUDIENCE_MISMATCH: 401,
  TOKEN_AUDIENCE_MISSING: 401,
  TOKEN_NOT_YET_VALID: 401,
  TOKEN_ISSUED_IN_FUTURE: 401,
  TOKEN_TOO_OLD: 401,
  TOKEN_KEY_UNKNOWN: 401,
  TOKEN_SIGNATURE_INVALID: 401,
  TOKEN_CLAIMS_MISSING: 401,
  SESSION_WRONG_RUN: 401,
  POLICY_FORK_DENIED: 403,
  SESSION_INVALID: 401,
  SESSION_CLOSED: 409,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  POLICY_DENIED: 403,
  POLICY_INVALID: 500,
  APPROVAL_DENIED: 403,
  APPROVAL_EXPIRED: 410,
  APPROVAL_DRIFT: 409,
  SELF_APPROVAL: 403,
  SERVER_UNREACHABLE: 503,
  SERVER_ERROR: 502,
  RECORDING_FAILED: 500,
  INTERNAL: 500,
  WEBHOOK_SIGNATURE_INVALID: 401,
  SSH_HOST_KEY_MISMATCH: 502,
  SSH_FAILED: 502
};
var GuardError = class extends Error {
  name = "GuardError";
  code;
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
  }
  get status() {
    return ErrorCodes[this.code];
  }
};
function isErrorCode(value) {
  return typeof value === "string" && Object.hasOwn(ErrorCodes, value);
}
function describeError(error) {
  if (error instanceof GuardError) return error.message;
  if (error instanceof Error) {
    const cause = error.cause === void 0 ? "" : ` (cause: ${describeError(error.cause)})`;
    return `${error.message}${cause}`;
  }
  return String(error);
}

export {
  GuardError,
  isErrorCode,
  describeError
};
