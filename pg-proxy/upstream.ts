// Opens and logs in a connection to the real database with the registered credential: optional TLS
// (sslmode require or verify-full), then cleartext, md5 or SCRAM-SHA-256. Returns the connection ready for
// queries, with the parameters and key data the server announced.

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { GuardError } from '../lib/errors.js';
import { UpstreamAuthenticator } from './auth/upstream-auth.js';
import {
  decodeAuthentication,
  decodeBackendKeyData,
  decodeErrorFields,
  decodeParameterStatus,
} from './protocol/decode.js';
import { encodeSslRequest, encodeStartup, encodeTerminate } from './protocol/encode.js';
import type { Frame, FrameReader } from './protocol/frame-reader.js';
import { BackendCode, ErrorField } from './protocol/message-codes.js';
import { SocketFrames } from './socket-frames.js';

export interface UpstreamSsl {
  /** disable: plain TCP; require: TLS without certificate checks; verify-full: TLS, CA and host name checked. */
  readonly mode: 'disable' | 'require' | 'verify-full';
  /** PEM CA certificate(s) for verify-full (the system store is used when absent). */
  readonly ca?: string;
}

export interface UpstreamConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  readonly ssl?: UpstreamSsl;
  /** Give up connecting and logging in after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
}

export interface UpstreamConnection {
  readonly socket: Socket;
  readonly reader: FrameReader;
  /** Frames that arrived after ReadyForQuery in the same read (normally none). */
  readonly leftover: Frame[];
  readonly parameters: [string, string][];
  readonly backendKey: { readonly pid: number; readonly secret: number } | undefined;
  readonly authMethod: string;
  readonly tls: boolean;
}

/** Startup parameters a client may pass through to the upstream (never user, database or replication). */
const PASSTHROUGH_PARAMS = new Set([
  'application_name',
  'client_encoding',
  'datestyle',
  'timezone',
  'options',
  'extra_float_digits',
  'intervalstyle',
  'search_path',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'standard_conforming_strings',
]);

export function passthroughParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (PASSTHROUGH_PARAMS.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

export async function connectUpstream(
  config: UpstreamConfig,
  clientParams: Readonly<Record<string, string>> = {},
): Promise<UpstreamConnection> {
  const timeoutMs = config.connectTimeoutMs ?? 10_000;
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const where = `${config.host}:${config.port}/${config.database} as ${config.user}`;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new GuardError(
          'SERVER_UNREACHABLE',
          `guard pg proxy: connecting to the upstream database ${where} took longer than ${timeoutMs} ms; check that it is reachable from the runner`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      timeout,
      (async () => {
        socket = await openSocket(config);
        const s = socket;
        return await login(s, config, clientParams, where);
      })(),
    ]);
  } catch (error) {
    socket?.destroy();
    if (error instanceof GuardError) throw error;
    throw new GuardError(
      'SERVER_UNREACHABLE',
      `guard pg proxy: cannot connect to the upstream database ${where}: ${(error as Error).message}; check the registered host, port and TLS settings`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

async function openSocket(config: UpstreamConfig): Promise<Socket> {
  const plain = await new Promise<Socket>((resolve, reject) => {
    const s = netConnect({ host: config.host, port: config.port });
    s.setNoDelay(true);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  const mode = config.ssl?.mode ?? 'disable';
  if (mode === 'disable') return plain;
  plain.write(encodeSslRequest());
  const answer = await new Promise<number>((resolve, reject) => {
    plain.once('data', (chunk: Buffer) => {
      plain.off('error', reject);
      // The answer is one byte; anything after it would be a man-in-the-middle injecting plaintext.
      if (chunk.length !== 1) reject(new Error('unexpected bytes after the SSLRequest answer'));
      else resolve(chunk[0]!);
    });
    plain.once('error', reject);
  });
  if (answer !== 0x53) {
    plain.destroy();
    throw new GuardError(
      'SERVER_UNREACHABLE',
      `guard pg proxy: the upstream database ${config.host}:${config.port} does not accept TLS but sslmode is ${mode}; enable ssl on the server or register the connection with sslmode disable`,
    );
  }
  const verify = mode === 'verify-full';
  return await new Promise<Socket>((resolve, reject) => {
    const secure = tlsConnect({
      socket: plain,
      host: config.host,
      ...(isIP(config.host) === 0 ? { servername: config.host } : {}),
      ...(config.ssl?.ca !== undefined ? { ca: config.ssl.ca } : {}),
      rejectUnauthorized: verify,
    });
    secure.once('secureConnect', () => {
      secure.off('error', reject);
      resolve(secure);
    });
    secure.once('error', reject);
  });
}

async function login(
  socket: Socket,
  config: UpstreamConfig,
  clientParams: Readonly<Record<string, string>>,
  where: string,
): Promise<UpstreamConnection> {
  const frames = new SocketFrames(socket);
  socket.write(
    encodeStartup({ ...passthroughParams(clientParams), user: config.user, database: config.database }),
  );
  const auth = new UpstreamAuthenticator(config.user, config.password);
  const parameters: [string, string][] = [];
  let backendKey: { pid: number; secret: number } | undefined;
  try {
    while (true) {
      const frame = await frames.next();
      switch (frame.code) {
        case BackendCode.Authentication: {
          const { code, data } = decodeAuthentication(frame.payload);
          const reply = auth.respond(code, data);
          if (reply !== undefined) socket.write(reply);
          break;
        }
        case BackendCode.ParameterStatus: {
          const { name, value } = decodeParameterStatus(frame.payload);
          parameters.push([name, value]);
          break;
        }
        case BackendCode.BackendKeyData:
          backendKey = decodeBackendKeyData(frame.payload);
          break;
        case BackendCode.ErrorResponse: {
          const fields = decodeErrorFields(frame.payload);
          const message = fields.find(([t]) => t === ErrorField.Message)?.[1] ?? 'unknown error';
          const sqlstate = fields.find(([t]) => t === ErrorField.Code)?.[1] ?? '?????';
          throw new GuardError(
            'SERVER_UNREACHABLE',
            `guard pg proxy: the upstream database ${where} refused the login (${sqlstate}: ${message}); check the registered credential`,
          );
        }
        case BackendCode.ReadyForQuery:
          return {
            socket,
            reader: frames.reader,
            leftover: frames.detach(),
            parameters,
            backendKey,
            authMethod: auth.method,
            tls: config.ssl !== undefined && config.ssl.mode !== 'disable',
          };
        default:
          // NoticeResponse and NegotiateProtocolVersion need no answer during login.
          break;
      }
    }
  } catch (error) {
    frames.detach();
    throw error;
  }
}

/** Ends an upstream connection politely (Terminate, then close). */
export function closeUpstream(connection: UpstreamConnection): void {
  if (!connection.socket.destroyed) connection.socket.end(encodeTerminate());
}
