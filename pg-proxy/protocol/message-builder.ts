// Builds one message. A new builder per message: no shared module-level writer, so two connections (or a
// re-entrant call) can never interleave bytes in one buffer.

export class MessageBuilder {
  private parts: Buffer[] = [];
  private size = 0;

  int8(value: number): this {
    const b = Buffer.allocUnsafe(1);
    b.writeUInt8(value & 0xff, 0);
    return this.push(b);
  }

  int16(value: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(value, 0);
    return this.push(b);
  }

  int32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(value | 0, 0);
    return this.push(b);
  }

  uint32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(value >>> 0, 0);
    return this.push(b);
  }

  cstring(value: string): this {
    this.push(Buffer.from(value, 'utf8'));
    return this.push(Buffer.from([0]));
  }

  bytes(value: Uint8Array): this {
    return this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }

  /** The finished message: type byte (omitted when code is undefined), int32 length, body. */
  build(code?: number): Buffer {
    const header = code === undefined ? 4 : 5;
    const out = Buffer.allocUnsafe(header + this.size);
    let offset = 0;
    if (code !== undefined) out[offset++] = code;
    out.writeInt32BE(this.size + 4, offset);
    offset += 4;
    for (const part of this.parts) {
      part.copy(out, offset);
      offset += part.length;
    }
    return out;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
}
