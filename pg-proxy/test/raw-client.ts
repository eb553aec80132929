// A bare protocol client for what libraries do not do on purpose: pipelining several statements before one
// Sync, writing messages a byte at a time, or sending malformed bytes.

import { connect, type Socket } from 'node:net';
import { ScramClient } from '../auth/scram-client.js';
import { decodeAuthentication, decodeBackendKeyData, decodeErrorFields } from '../protocol/decode.js';
import { encodeSaslInitial, encodeSaslResponse, encodeStartup } from '../protocol/encode.js';
import type { Frame } from '../protocol/frame-reader.js';
import { AuthCode, BackendCode, ErrorField } from '../protocol/message-codes.js';
import { SocketFrames } from '../socket-frames.js';

export class RawClient {
  /** The BackendKeyData the proxy gave this client, for CancelRequest. */
  key = { pid: 0, secret: 0 };

  private constructor(
    readonly socket: Socket,
    private readonly frames: SocketFrames,
  ) {}

  static async login(
    host: string,
    port: number,
    user: string,
    password: string,
    database: string,
  ): Promise<RawClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new RawClient(socket, new SocketFrames(socket));
    socket.write(encodeStartup({ user, database }));
    const scram = new ScramClient(password);
    while (true) {
      const frame = await client.next();
      if (frame.code === BackendCode.ErrorResponse) throw new Error(errorMessage(frame));
      if (frame.code === BackendCode.ReadyForQuery) return client;
      if (frame.code === BackendCode.BackendKeyData) client.key = decodeBackendKeyData(frame.payload);
      if (frame.code !== BackendCode.Authentication) continue;
      const { code, data } = decodeAuthentication(frame.payload);
      if (code === AuthCode.SASL) socket.write(encodeSaslInitial('SCRAM-SHA-256', scram.clientFirst()));
      if (code === AuthCode.SASLContinue) socket.write(encodeSaslResponse(scram.clientFinal(data)));
      if (code === AuthCode.SASLFinal) scram.verifyServerFinal(data);
    }
  }

  next(): Promise<Frame> {
    return this.frames.next();
  }

  /** Writes `bytes`, cut into pieces of `chunk` bytes (1: a byte at a time). */
  async write(bytes: Buffer, chunk = bytes.length): Promise<void> {
    for (let i = 0; i < bytes.length; i += chunk) {
      this.socket.write(bytes.subarray(i, i + chunk));
      if (chunk < bytes.length) await new Promise((r) => setImmediate(r));
    }
  }

  /** Reads messages up to and including ReadyForQuery; returns them as short labels for assertions. */
  async untilReady(): Promise<{ labels: string[]; frames: Frame[] }> {
    const frames: Frame[] = [];
    while (true) {
      const frame = await this.next();
      frames.push(frame);
      if (frame.code === BackendCode.ReadyForQuery) break;
    }
    return { labels: frames.map(label), frames };
  }

  close(): void {
    this.frames.detach();
    this.socket.destroy();
  }
}

export function errorMessage(frame: Frame): string {
  const fields = decodeErrorFields(frame.payload);
  const get = (t: number): string => fields.find(([k]) => k === t)?.[1] ?? '';
  return `${get(ErrorField.Code)} ${get(ErrorField.Message)}`;
}

function label(frame: Frame): string {
  const names: Record<number, string> = {
    [BackendCode.ParseComplete]: 'ParseComplete',
    [BackendCode.BindComplete]: 'BindComplete',
    [BackendCode.DataRow]: 'DataRow',
    [BackendCode.RowDescription]: 'RowDescription',
    [BackendCode.NoData]: 'NoData',
    [BackendCode.CommandComplete]: 'CommandComplete',
    [BackendCode.ReadyForQuery]: 'ReadyForQuery',
    [BackendCode.ErrorResponse]: 'ErrorResponse',
    [BackendCode.ParameterDescription]: 'ParameterDescription',
    [BackendCode.CloseComplete]: 'CloseComplete',
  };
  if (frame.code === BackendCode.ErrorResponse) return `ErrorResponse ${errorMessage(frame).split(' ')[0]}`;
  return names[frame.code] ?? String.fromCharCode(frame.code);
}
