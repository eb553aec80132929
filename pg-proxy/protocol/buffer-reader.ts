// Reads protocol fields from one message payload. Works on a Buffer view, so a payload that is a slice of
// a larger chunk is read at its own byteOffset. Every read checks bounds and throws ProtocolError, because
// a lying length or a missing terminator must not read into the next message.

import { ProtocolError } from './protocol-error.js';

export class BufferReader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  int8(): number {
    this.need(1);
    return this.buf.readUInt8(this.offset++);
  }

  int16(): number {
    this.need(2);
    const value = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    this.need(4);
    const value = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new ProtocolError('string field is not NUL-terminated');
    const value = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  bytes(length: number): Buffer {
    if (length < 0) throw new ProtocolError(`negative field length ${length}`);
    this.need(length);
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  rest(): Buffer {
    const value = this.buf.subarray(this.offset);
    this.offset = this.buf.length;
    return value;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) {
      throw new ProtocolError(`message is truncated: needs ${n} more byte(s) at offset ${this.offset}`);
    }
  }
}
