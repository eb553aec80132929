// One error type for every refusal guard makes. `code` is what programs branch on (the server maps it to
// an HTTP status, the action to a failed step); `message` is what a person reads: what happened, why,
// and what to do.

export const ErrorCodes = {
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
  SSH_FAILED: 502,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get status(): number {
    return ErrorCodes[this.code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCodes, value);
}

/** A one-line description of any thrown value, for the edge that reports it (never drops the cause chain). */
export function describeError(error: unknown): string {
  if (error instanceof GuardError) return error.message;
  if (error instanceof Error) {
    const cause = error.cause === undefined ? '' : ` (cause: ${describeError(error.cause)})`;
    return `${error.message}${cause}`;
  }
  return String(error);
}
