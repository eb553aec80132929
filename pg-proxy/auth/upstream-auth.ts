// Answers the upstream server's Authentication requests for the registered credential: cleartext, md5
// or SCRAM-SHA-256. Pure: it turns each Authentication message into the bytes to send back.

import { GuardError } from '../../lib/errors.js';
import { decodeSaslMechanisms } from '../protocol/decode.js';
import { encodePassword, encodeSaslInitial, encodeSaslResponse } from '../protocol/encode.js';
import { AuthCode } from '../protocol/message-codes.js';
import { md5PasswordResponse } from './md5.js';
import { ScramClient } from './scram-client.js';
import { SCRAM_MECHANISM } from './scram-primitives.js';

export class UpstreamAuthenticator {
  private scram: ScramClient | undefined;
  /** The method the server asked for, for the record and error messages. */
  method: 'trust' | 'password' | 'md5' | 'scram-sha-256' = 'trust';

  constructor(
    private readonly user: string,
    private readonly password: string | undefined,
  ) {}

  /** The reply to one Authentication message, or undefined when nothing is to be sent (Ok, SASLFinal). */
  respond(code: number, data: Buffer): Buffer | undefined {
    switch (code) {
      case AuthCode.Ok:
        return undefined;
      case AuthCode.CleartextPassword:
        this.method = 'password';
        return encodePassword(this.requirePassword());
      case AuthCode.MD5Password:
        this.method = 'md5';
        return encodePassword(md5PasswordResponse(this.user, this.requirePassword(), data.subarray(0, 4)));
      case AuthCode.SASL: {
        this.method = 'scram-sha-256';
        const mechanisms = decodeSaslMechanisms(data);
        if (!mechanisms.includes(SCRAM_MECHANISM)) {
          throw new GuardError(
            'SERVER_UNREACHABLE',
            `guard pg proxy: the upstream offers only SASL mechanisms ${mechanisms.join(', ')}; guard speaks ${SCRAM_MECHANISM} (without channel binding); allow it in pg_hba.conf for this role`,
          );
        }
        this.scram = new ScramClient(this.requirePassword());
        return encodeSaslInitial(SCRAM_MECHANISM, this.scram.clientFirst());
      }
      case AuthCode.SASLContinue:
        return encodeSaslResponse(this.requireScram().clientFinal(data));
      case AuthCode.SASLFinal:
        this.requireScram().verifyServerFinal(data);
        return undefined;
      default:
        throw new GuardError(
          'SERVER_UNREACHABLE',
          `guard pg proxy: the upstream asks for authentication method ${code} (Kerberos, GSSAPI or SSPI), which guard does not support; register a role that logs in with password, md5 or scram-sha-256`,
        );
    }
  }

  private requirePassword(): string {
    if (this.password === undefined) {
      throw new GuardError(
        'SERVER_UNREACHABLE',
        `guard pg proxy: the upstream asks user '${this.user}' for a password but none is registered; add the password to the registered connection`,
      );
    }
    return this.password;
  }

  private requireScram(): ScramClient {
    if (this.scram === undefined) {
      throw new GuardError(
        'SERVER_UNREACHABLE',
        'guard pg proxy: the upstream sent a SCRAM message out of order',
      );
    }
    return this.scram;
  }
}
