// Decodes UTF-8 output chunk by chunk exactly as TextDecoder in streaming mode does (a character split
// across chunks is kept for the next one, invalid bytes become U+FFFD, a byte-order mark is dropped only
// at the very start of the stream), but reads ASCII as Latin-1: the same characters, copied instead of
// decoded, about 9x faster (bench/masking.ts). Most of a build's output is ASCII; a test runner's ✓ on one
// line in twenty would otherwise make every chunk go through the decoder.
import { isAscii } from 'node:buffer';

export class Utf8Stream {
  // TextDecoder in streaming mode decodes more than twice as fast as StringDecoder (1.2 against 2.6 ms per
  // MiB in bench/masking.ts).
  private decoder = new TextDecoder('utf-8');
  /** Whether the decoder may hold the first bytes of a character split across chunks. */
  private mayHoldBytes = false;
  /** Whether any byte went out: a byte-order mark after that is text. */
  private started = false;

  /**
   * The text of the next chunk. `wide`, when known (the line classifier's), are byte ranges as start, end
   * pairs, each ending with \n or at the end of the chunk, outside of which every byte is ASCII: only those
   * go through the decoder.
   */
  decode(chunk: Uint8Array, wide?: Uint32Array): string {
    if (chunk.length === 0) return '';
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.mayHoldBytes && (wide === undefined ? isAscii(chunk) : wide.length === 0)) {
      this.asciiGoesOut();
      return bytes.toString('latin1');
    }
    if (this.mayHoldBytes || wide === undefined) {
      this.started = true;
      this.mayHoldBytes = chunk[chunk.length - 1]! >= 0x80;
      return this.decoder.decode(chunk, { stream: true });
    }
    // ASCII runs as Latin-1, the lines with other bytes through the decoder; a range that ends with \n
    // leaves nothing held in it, so the next run may be read as Latin-1.
    const pieces: string[] = [];
    let at = 0;
    for (let k = 0; k < wide.length; k += 2) {
      const start = wide[k]!;
      const end = wide[k + 1]!;
      if (start > at) {
        this.asciiGoesOut();
        pieces.push(bytes.toString('latin1', at, start));
      }
      this.started = true;
      pieces.push(this.decoder.decode(chunk.subarray(start, end), { stream: true }));
      at = end;
    }
    if (at < chunk.length) pieces.push(bytes.toString('latin1', at, chunk.length));
    this.mayHoldBytes = chunk[chunk.length - 1]! >= 0x80;
    return pieces.join('');
  }

  /**
   * What the decoder still holds (an unfinished character: U+FFFD), at the end of the stream. What comes
   * after is a new stream, as with TextDecoder: a byte-order mark at its very start is dropped.
   */
  end(): string {
    const rest = this.decoder.decode();
    this.decoder = new TextDecoder('utf-8');
    this.mayHoldBytes = false;
    this.started = false;
    return rest;
  }

  private asciiGoesOut(): void {
    // A decoder that has seen nothing takes a byte-order mark as the start of the stream and drops it; once
    // ASCII went by without it, a later one is text.
    if (!this.started) this.decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    this.started = true;
  }
}
