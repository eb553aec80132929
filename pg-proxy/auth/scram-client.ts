// The client side of SCRAM-SHA-256, for the proxy logging in to the upstream server. No channel binding
// (gs2 flag 'n'): the upstream TLS session already authenticates the server in verify-full mode.

import { randomBytes } from 'node:crypto';
import { GuardError } from '../../lib/errors.js';
import { hmac, parseAttributes, safeEqual, saltedPassword, sha256, xor } from './scram-primitives.js';

export class ScramClient {
  private readonly clientNonce = randomBytes(18).toString('base64');
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  /** The client-first message for SASLInitialResponse. */
  clientFirst(): Buffer {
    this.clientFirstBare = `n=,r=${this.clientNonce}`;
    return Buffer.from(`n,,${this.clientFirstBare}`, 'utf8');
  }

  /** Answers the server-first message (AuthenticationSASLContinue) with the client-final message. */
  clientFinal(serverFirstData: Buffer): Buffer {
    const serverFirst = serverFirstData.toString('utf8');
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (
      nonce === undefined ||
      !nonce.startsWith(this.clientNonce) ||
      nonce.length === this.clientNonce.length
    ) {
      throw scramError('the server nonce does not extend the client nonce');
    }
    if (salt === undefined || !Number.isInteger(iterations) || iterations < 1) {
      throw scramError('the server-first message lacks a salt or iteration count');
    }
    const salted = saltedPassword(this.password, Buffer.from(salt, 'base64'), iterations);
    const clientKey = hmac(salted, 'Client Key');
    const serverKey = hmac(salted, 'Server Key');
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(sha256(clientKey), authMessage));
    this.expectedServerSignature = hmac(serverKey, authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  /** Checks AuthenticationSASLFinal: a server that cannot prove it knows the password is not trusted. */
  verifyServerFinal(serverFinalData: Buffer): void {
    const attrs = parseAttributes(serverFinalData.toString('utf8'));
    const error = attrs.get('e');
    if (error !== undefined) throw scramError(`the server refused the login (${error})`);
    const signature = attrs.get('v');
    if (this.expectedServerSignature === undefined || signature === undefined) {
      throw scramError('the server-final message came out of order or without a signature');
    }
    if (!safeEqual(Buffer.from(signature, 'base64'), this.expectedServerSignature)) {
      throw scramError('the server signature does not match: the upstream may not be the server registered');
    }
  }
}

function scramError(why: string): GuardError {
  return new GuardError(
    'SERVER_UNREACHABLE',
    `guard pg proxy: SCRAM-SHA-256 login to the upstream database failed: ${why}; check the registered upstream password and host`,
  );
}
