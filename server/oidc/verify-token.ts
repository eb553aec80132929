// Verifies a GitHub Actions OIDC token. Order matters: everything that can be refused without a key
// (shape, algorithm, issuer) is refused before a key is looked up.
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { REQUIRED_CLAIMS, type JobClaims } from '../../lib/claims.js';
import { GuardError } from '../../lib/errors.js';
import type { TrustedIssuers } from './trusted-issuers.js';

/** GitHub signs with RS256; the rest of the RSA family is accepted for GHES. Never `none` or HS*. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;

export interface VerifyOptions {
  issuers: TrustedIssuers;
  audience: string;
  clockToleranceSec?: number;
  maxTokenAgeSec?: number;
  now?: () => Date;
}

export async function verifyJobToken(token: string, options: VerifyOptions): Promise<JobClaims> {
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new GuardError('TOKEN_INVALID', 'guard: the OIDC token is not a JWT; pass the token from core.getIDToken()');
  }
  let alg: unknown;
  let iss: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
    iss = decodeJwt(token).iss;
  } catch (error) {
    throw new GuardError('TOKEN_INVALID', 'guard: the OIDC token cannot be decoded', { cause: error });
  }
  if (typeof alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new GuardError('TOKEN_INVALID', `guard: the OIDC token's algorithm is not allowed (expected ${ALLOWED_ALGORITHMS.join(', ')})`);
  }
  if (typeof iss !== 'string' || !options.issuers.has(iss)) {
    throw new GuardError('TOKEN_INVALID', "guard: the OIDC token's issuer is not trusted by this server; the platform team configures trusted issuers");
  }
  const { keys } = await options.issuers.keysFor(iss);
  const currentDate = options.now?.();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss,
      audience: options.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: options.clockToleranceSec ?? 60,
      maxTokenAge: options.maxTokenAgeSec ?? 15 * 60,
      requiredClaims: ['exp', 'iat', 'jti', 'aud'],
      ...(currentDate ? { currentDate } : {}),
    }));
  } catch (error) {
    throw translate(error, options.audience);
  }
  const missing = REQUIRED_CLAIMS.filter((claim) => typeof payload[claim] !== 'string' || payload[claim] === '');
  if (missing.length > 0) {
    throw new GuardError('TOKEN_INVALID', `guard: the OIDC token lacks required claims: ${missing.join(', ')}`);
  }
  return payload as JobClaims;
}

function translate(error: unknown, audience: string): GuardError {
  if (error instanceof joseErrors.JWTExpired) {
    return new GuardError('TOKEN_EXPIRED', 'guard: the OIDC token has expired; request a fresh one (tokens live minutes)', { cause: error });
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return new GuardError('TOKEN_INVALID', `guard: the OIDC token's audience is not '${audience}'; set the action's 'audience' input to the server's audience`, { cause: error });
    }
    return new GuardError('TOKEN_INVALID', `guard: the OIDC token's '${error.claim}' claim is not valid (${error.reason})`, { cause: error });
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return new GuardError('TOKEN_INVALID', "guard: the OIDC token was signed with a key the issuer does not publish", { cause: error });
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new GuardError('TOKEN_INVALID', "guard: the OIDC token's signature does not verify", { cause: error });
  }
  if (error instanceof GuardError) return error;
  if (error instanceof joseErrors.JOSEError) {
    return new GuardError('TOKEN_INVALID', `guard: the OIDC token is not valid (${error.code})`, { cause: error });
  }
  return new GuardError('SERVER_UNREACHABLE', 'guard server: could not verify the OIDC token (the issuer keys could not be loaded)', { cause: error });
}
