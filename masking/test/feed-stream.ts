// Feeds text to a StreamMasker in chunks, as the adapters do: as strings (write) or as UTF-8 bytes
// (writeUtf8, which decodes them as a streaming TextDecoder, so a character may be split between chunks), with an
// early partial-line release after the writes `releases` marks. Returns both outputs, flushed.
import type { MaskedOutput, StreamMasker } from '../masker.js';

export interface FeedOptions {
  via: 'text' | 'bytes';
  /** Chunk sizes (characters or bytes), used in turn. */
  sizes: readonly number[];
  /** Whether to call flushPartial after each write, used in turn. */
  releases?: readonly boolean[];
}

/** `text` may be given as bytes (which need not be valid UTF-8) when `via` is 'bytes'. */
export function feedStream(
  stream: StreamMasker,
  text: string | Uint8Array,
  options: FeedOptions,
): MaskedOutput {
  const { via, sizes, releases = [false] } = options;
  let runner = '';
  let record = '';
  const take = (out: MaskedOutput): void => {
    runner += out.runner;
    record += out.record;
  };
  if (via === 'text' && typeof text !== 'string')
    throw new TypeError('feedStream: text as bytes needs via: bytes');
  const source = via === 'text' ? text : typeof text === 'string' ? Buffer.from(text) : text;
  for (let at = 0, i = 0; at < source.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    if (typeof source === 'string') take(stream.write(source.slice(at, at + size)));
    else {
      take(stream.writeUtf8!(source.subarray(at, at + size)));
    }
    if (releases[i % releases.length] === true) take(stream.flushPartial());
    at += size;
  }
  take(stream.flush());
  return { runner, record };
}
