// Cuts a byte stream into protocol messages. Pure: the caller feeds chunks as they arrive and gets back
// whole messages; nothing here touches a socket. A message may be split anywhere across chunks.

import { ProtocolError } from './protocol-error.js';

/** One whole message. `code` is 0 for the untyped messages that open a connection. */
export interface Frame {
  readonly code: number;
  /** The bytes after the length word (a view, not a copy). */
  readonly payload: Buffer;
  /** The whole message as it arrived, type byte and length included (a view, not a copy). */
  readonly raw: Buffer;
}

/** PostgreSQL itself refuses startup packets longer than this (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP_LENGTH = 10_000;
/** The largest message the server accepts (MaxAllocSize, 1 GiB - 1). */
const MAX_MESSAGE_LENGTH = 0x3fffffff;

export interface FrameReaderOptions {
  /** True on the client-facing side: the first message has no type byte. */
  readonly untypedFirst?: boolean;
  /** Refuse typed messages longer than this many bytes (default 1 GiB - 1, as the server does). */
  readonly maxMessageLength?: number;
}

export class FrameReader {
  private pending: Buffer | undefined;
  private untyped: boolean;
  private readonly maxLength: number;

  constructor(options: FrameReaderOptions = {}) {
    this.untyped = options.untypedFirst ?? false;
    this.maxLength = options.maxMessageLength ?? MAX_MESSAGE_LENGTH;
  }

  /**
   * After an SSLRequest or GSSENCRequest answered 'N', the client sends another untyped startup message;
   * after a StartupMessage, every message is typed.
   */
  expectUntyped(untyped: boolean): void {
    this.untyped = untyped;
  }

  /** Bytes held back waiting for the rest of a message. */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  /** Feeds one chunk; returns the messages it completes, in order. Throws ProtocolError on a bad length. */
  push(chunk: Uint8Array): Frame[] {
    let buf = toBuffer(chunk);
    if (this.pending !== undefined) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = undefined;
    }
    const frames: Frame[] = [];
    let offset = 0;
    while (true) {
      const headerSize = this.untyped ? 4 : 5;
      if (buf.length - offset < headerSize) break;
      const code = this.untyped ? 0 : buf[offset]!;
      const length = buf.readInt32BE(offset + headerSize - 4);
      this.checkLength(code, length);
      const total = length + headerSize - 4;
      if (buf.length - offset < total) break;
      const raw = buf.subarray(offset, offset + total);
      frames.push({ code, payload: raw.subarray(headerSize), raw });
      offset += total;
      // Only the very first message (and the one after a refused SSL/GSS request) is untyped; the caller
      // turns untyped mode back on when it answers such a request.
      if (this.untyped) this.untyped = false;
    }
    if (offset < buf.length) this.pending = buf.subarray(offset);
    return frames;
  }

  private checkLength(code: number, length: number): void {
    if (this.untyped) {
      if (length < 8 || length > MAX_STARTUP_LENGTH) {
        throw new ProtocolError(
          `invalid startup packet length ${length} (expected 8 to ${MAX_STARTUP_LENGTH})`,
        );
      }
      return;
    }
    if (length < 4 || length > this.maxLength) {
      const type = printableType(code);
      throw new ProtocolError(`invalid length ${length} for message type ${type}`);
    }
  }
}

function printableType(code: number): string {
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}'` : `0x${code.toString(16)}`;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
