// Verifies a GitHub Actions OIDC token. Order matters: everything that can be refused without a key
// (shape, algorithm, issuer) is refused before a key is looked up. Each refusal has its own code, so the
// workflow author and the security log can tell them apart; none echoes token content back.
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { REQUIRED_CLAIMS, type JobClaims } from '../../lib/claims.js';
import { GuardError } from '../../lib/errors.js';
import type { TrustedIssuers } from './trusted-issuers.js';

/** GitHub signs with RS256; the rest of the RSA family is accepted for GHES. Never `none` or HS*. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;

export interface VerifyOptions {
  issuers: TrustedIssuers;
  audience: string;
  /** Allowed clock difference for exp/nbf/iat (GitHub's tokens are minted for minutes). Default 60 s. */
  clockToleranceSec?: number;
  /** Oldest `iat` accepted, so a leaked token is useless soon even before `exp`. Default 15 min. */
  maxTokenAgeSec?: number;
  now?: () => Date;
}

export async function verifyJobToken(token: string, options: VerifyOptions): Promise<JobClaims> {
  if (typeof token !== 'string' || !/^[\w-]*\.[\w-]*\.[\w-]*$/.test(token)) {
    throw new GuardError(
      'TOKEN_MALFORMED',
      'guard: the OIDC token is not a compact JWT; pass the token from core.getIDToken()',
    );
  }
  let alg: unknown;
  let iss: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
    iss = decodeJwt(token).iss;
  } catch (error) {
    throw new GuardError('TOKEN_MALFORMED', 'guard: the OIDC token cannot be decoded', { cause: error });
  }
  if (typeof alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new GuardError(
      'TOKEN_ALG_NOT_ALLOWED',
      `guard: the OIDC token's signing algorithm is not allowed (allowed: ${ALLOWED_ALGORITHMS.join(', ')})`,
    );
  }
  if (typeof iss !== 'string' || !options.issuers.has(iss)) {
    throw new GuardError(
      'TOKEN_ISSUER_UNTRUSTED',
      "guard: the OIDC token's issuer is not trusted by this server; the platform team configures trusted issuers (--issuer)",
    );
  }
  const { keys } = await options.issuers.keysFor(iss);
  const currentDate = options.now?.() ?? new Date();
  const tolerance = options.clockToleranceSec ?? 60;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss,
      audience: options.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: tolerance,
      maxTokenAge: options.maxTokenAgeSec ?? 15 * 60,
      requiredClaims: ['exp', 'iat', 'nbf', 'jti', 'aud'],
      currentDate,
    }));
  } catch (error) {
    throw translate(error, options.audience);
  }
  // jose accepts an `iat` in the future when maxTokenAge allows it; a token minted ahead of our clock
  // beyond the tolerance is a clock problem or a forgery either way.
  if (typeof payload.iat === 'number' && payload.iat > currentDate.getTime() / 1000 + tolerance) {
    throw new GuardError(
      'TOKEN_ISSUED_IN_FUTURE',
      'guard: the OIDC token was issued in the future; check the server clock',
    );
  }
  const missing = REQUIRED_CLAIMS.filter(
    (claim) => typeof payload[claim] !== 'string' || payload[claim] === '',
  );
  if (missing.length > 0) {
    throw new GuardError(
      'TOKEN_CLAIMS_MISSING',
      `guard: the OIDC token lacks required claims: ${missing.join(', ')}`,
    );
  }
  return payload as JobClaims;
}

function translate(error: unknown, audience: string): GuardError {
  // jose reports a token older than maxTokenAge as expired on `iat`; that is a different fix for the author.
  if (error instanceof joseErrors.JWTExpired && error.claim === 'iat') {
    return new GuardError(
      'TOKEN_TOO_OLD',
      'guard: the OIDC token is older than the server accepts; request a fresh one right before the exchange',
      { cause: error },
    );
  }
  if (error instanceof joseErrors.JWTExpired) {
    return new GuardError(
      'TOKEN_EXPIRED',
      'guard: the OIDC token has expired; request a fresh one right before the exchange',
      { cause: error },
    );
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (claim === 'aud') {
      return reason === 'missing'
        ? new GuardError(
            'TOKEN_AUDIENCE_MISSING',
            `guard: the OIDC token has no audience; request it with audience '${audience}'`,
            { cause: error },
          )
        : new GuardError(
            'TOKEN_AUDIENCE_MISMATCH',
            `guard: the OIDC token's audience is not '${audience}'; set the action's 'audience' input to the server's audience`,
            { cause: error },
          );
    }
    if (claim === 'nbf')
      return new GuardError(
        'TOKEN_NOT_YET_VALID',
        'guard: the OIDC token is not valid yet (nbf); check the server clock',
        { cause: error },
      );
    if (claim === 'iat' && reason === 'check_failed') {
      return /in the past/.test(error.message)
        ? new GuardError(
            'TOKEN_ISSUED_IN_FUTURE',
            'guard: the OIDC token was issued in the future; check the server clock',
            { cause: error },
          )
        : new GuardError(
            'TOKEN_TOO_OLD',
            'guard: the OIDC token is older than the server accepts; request a fresh one right before the exchange',
            { cause: error },
          );
    }
    if (reason === 'missing')
      return new GuardError('TOKEN_CLAIMS_MISSING', `guard: the OIDC token lacks the '${claim}' claim`, {
        cause: error,
      });
    return new GuardError('TOKEN_INVALID', `guard: the OIDC token's '${claim}' claim is not valid`, {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new GuardError(
      'TOKEN_KEY_UNKNOWN',
      'guard: the OIDC token names a signing key the issuer does not publish',
      { cause: error },
    );
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new GuardError('TOKEN_SIGNATURE_INVALID', "guard: the OIDC token's signature does not verify", {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return new GuardError('TOKEN_MALFORMED', 'guard: the OIDC token is malformed', { cause: error });
  }
  if (error instanceof GuardError) return error;
  if (error instanceof joseErrors.JOSEError) {
    return new GuardError('TOKEN_INVALID', `guard: the OIDC token is not valid (${error.code})`, {
      cause: error,
    });
  }
  return new GuardError(
    'SERVER_UNREACHABLE',
    "guard server: could not verify the OIDC token because the issuer's keys could not be loaded; try again",
    { cause: error },
  );
}
