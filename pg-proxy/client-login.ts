// The client-facing login: SSL/GSS requests declined (the listener is loopback only), the startup message
// checked against the step's one-time credential, then SCRAM-SHA-256. Pure: each client message in, the
// bytes to answer out.

import { ScramServerExchange, type ScramVerifier } from './auth/scram-server.js';
import { SCRAM_MECHANISM } from './auth/scram-primitives.js';
import { decodeSaslInitial, decodeStartup } from './protocol/decode.js';
import {
  encodeAuthentication,
  encodeAuthenticationOk,
  encodeFatal,
  encodeSaslMechanisms,
} from './protocol/encode.js';
import type { Frame } from './protocol/frame-reader.js';
import { AuthCode, FrontendCode, StartupCode } from './protocol/message-codes.js';
import { SqlState } from './protocol/sqlstate.js';

export type LoginStep =
  /** Send `reply` and wait for the next message; `untyped`: that message has no type byte. */
  | { readonly kind: 'continue'; readonly reply: Buffer; readonly untyped: boolean }
  /** The client proved the credential: send `reply` (AuthenticationOk), then connect upstream. */
  | { readonly kind: 'done'; readonly reply: Buffer; readonly params: Readonly<Record<string, string>> }
  /** Refuse: send `reply` (a FATAL ErrorResponse) and close. */
  | { readonly kind: 'fail'; readonly reply: Buffer; readonly reason: string }
  /** A CancelRequest: close without answering, and cancel the matching session. */
  | { readonly kind: 'cancel'; readonly pid: number; readonly secret: number };

export interface ClientLoginOptions {
  readonly user: string;
  readonly verifier: ScramVerifier;
  /** The only database the credential opens; a client asking for another is refused. */
  readonly database: string;
}

export class ClientLogin {
  private state: 'startup' | 'sasl-initial' | 'sasl-final' = 'startup';
  private params: Readonly<Record<string, string>> = {};
  private exchange: ScramServerExchange | undefined;

  constructor(private readonly options: ClientLoginOptions) {}

  step(frame: Frame): LoginStep {
    if (this.state === 'startup') return this.startup(frame);
    if (frame.code !== FrontendCode.Password) {
      return fail(SqlState.ProtocolViolation, 'guard pg proxy: expected a SASL response during login');
    }
    if (this.state === 'sasl-initial') {
      const { mechanism, data } = decodeSaslInitial(frame.payload);
      if (mechanism !== SCRAM_MECHANISM) {
        return fail(
          SqlState.InvalidAuthorizationSpecification,
          `guard pg proxy: SASL mechanism ${mechanism} is not offered; use ${SCRAM_MECHANISM}`,
        );
      }
      this.exchange = new ScramServerExchange(this.options.verifier);
      const first = this.exchange.serverFirstFor(data);
      if (!first.ok) return fail(SqlState.InvalidPassword, `guard pg proxy: ${first.reason}`);
      this.state = 'sasl-final';
      return {
        kind: 'continue',
        reply: encodeAuthentication(AuthCode.SASLContinue, first.reply),
        untyped: false,
      };
    }
    const final = this.exchange!.serverFinalFor(frame.payload);
    if (!final.ok) {
      return fail(
        SqlState.InvalidPassword,
        `guard pg proxy: password authentication failed for user "${this.options.user}"`,
        'the proxy accepts only the one-time credential of this step (PGUSER/PGPASSWORD as guard set them)',
      );
    }
    return {
      kind: 'done',
      reply: Buffer.concat([encodeAuthentication(AuthCode.SASLFinal, final.reply), encodeAuthenticationOk()]),
      params: this.params,
    };
  }

  private startup(frame: Frame): LoginStep {
    if (frame.code !== 0)
      return fail(SqlState.ProtocolViolation, 'guard pg proxy: expected a startup message');
    const message = decodeStartup(frame.payload);
    switch (message.kind) {
      case 'ssl':
      case 'gssenc':
        // The proxy listens on loopback for one step; TLS there would protect nothing the kernel does not.
        return { kind: 'continue', reply: Buffer.from('N'), untyped: true };
      case 'cancel':
        return { kind: 'cancel', pid: message.pid, secret: message.secret };
      case 'startup':
        break;
    }
    if (message.version >> 16 !== StartupCode.ProtocolV3 >> 16) {
      return fail(
        SqlState.FeatureNotSupported,
        `guard pg proxy: protocol version ${message.version >> 16}.${message.version & 0xffff} is not supported; use 3.0`,
      );
    }
    const { user, database, replication } = message.params;
    if (
      replication !== undefined &&
      replication !== 'false' &&
      replication !== '0' &&
      replication !== 'off'
    ) {
      return fail(
        SqlState.FeatureNotSupported,
        'guard pg proxy: replication connections are not supported through guard',
      );
    }
    if (user !== this.options.user) {
      return fail(
        SqlState.InvalidAuthorizationSpecification,
        `guard pg proxy: user "${user ?? ''}" is not this step's credential`,
        'connect with PGUSER and PGPASSWORD as guard set them for this step',
      );
    }
    // libpq sends the user name as the database when none is given.
    if (database !== undefined && database !== this.options.database && database !== user) {
      return fail(
        SqlState.InvalidCatalogName,
        `guard pg proxy: this step's credential opens database "${this.options.database}" only, not "${database}"`,
      );
    }
    this.params = message.params;
    this.state = 'sasl-initial';
    return { kind: 'continue', reply: encodeSaslMechanisms([SCRAM_MECHANISM]), untyped: false };
  }
}

function fail(sqlstate: string, message: string, hint?: string): LoginStep {
  return { kind: 'fail', reply: encodeFatal(sqlstate, message, undefined, hint), reason: message };
}
