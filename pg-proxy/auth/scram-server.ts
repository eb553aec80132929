// The server side of SCRAM-SHA-256, for a script logging in to the proxy with its one-time step
// credential. The password never crosses the socket, not even on loopback, and every client that ships
// with PostgreSQL (libpq: psql, pgbench) and node-postgres speaks it.

import { randomBytes } from 'node:crypto';
import {
  SCRAM_ITERATIONS,
  hmac,
  parseAttributes,
  safeEqual,
  saltedPassword,
  sha256,
  xor,
} from './scram-primitives.js';

/** What the proxy keeps instead of the password. Computed once per proxy (PBKDF2 is deliberately slow). */
export interface ScramVerifier {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function createScramVerifier(password: string, iterations = SCRAM_ITERATIONS): ScramVerifier {
  const salt = randomBytes(16);
  const salted = saltedPassword(password, salt, iterations);
  return {
    salt,
    iterations,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

export type ScramServerStep =
  { readonly ok: true; readonly reply: Buffer } | { readonly ok: false; readonly reason: string };

/** One login exchange: client-first -> server-first, client-final -> server-final. */
export class ScramServerExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(private readonly verifier: ScramVerifier) {}

  serverFirstFor(clientFirstData: Buffer): ScramServerStep {
    const clientFirst = clientFirstData.toString('utf8');
    // gs2 header: "n,," (no channel binding) or "y,," (client could bind, thinks we cannot). "p=" asks for
    // channel binding, which a plain loopback socket cannot offer.
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(clientFirst);
    if (match === null)
      return { ok: false, reason: 'malformed SCRAM client-first message or channel binding requested' };
    this.clientFirstBare = match[2]!;
    const clientNonce = parseAttributes(this.clientFirstBare).get('r');
    if (clientNonce === undefined || clientNonce.length === 0)
      return { ok: false, reason: 'SCRAM client nonce missing' };
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString('base64')},i=${this.verifier.iterations}`;
    return { ok: true, reply: Buffer.from(this.serverFirst, 'utf8') };
  }

  serverFinalFor(clientFinalData: Buffer): ScramServerStep {
    const clientFinal = clientFinalData.toString('utf8');
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) return { ok: false, reason: 'SCRAM proof missing' };
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof);
    if (attrs.get('r') !== this.nonce) return { ok: false, reason: 'SCRAM nonce mismatch' };
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.verifier.storedKey, authMessage);
    if (proof.length !== clientSignature.length)
      return { ok: false, reason: 'password authentication failed' };
    const clientKey = xor(proof, clientSignature);
    if (!safeEqual(sha256(clientKey), this.verifier.storedKey)) {
      return { ok: false, reason: 'password authentication failed' };
    }
    const serverSignature = hmac(this.verifier.serverKey, authMessage);
    return { ok: true, reply: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8') };
  }
}
