// Node adapter around a StreamMasker: decodes UTF-8 across chunk boundaries, sends masked text to the
// runner and record sinks, and releases a partial line after a short delay so a prompt or a progress
// line without newline still shows up (the timer is unref'd: it never keeps the process alive).
import { isAscii } from 'node:buffer';
import type { MaskedOutput, StreamMasker } from './masker.js';

export interface MaskedSinks {
  /** Text for the GitHub runner's stdout (keeps `::add-mask::` commands verbatim). */
  runner(text: string): void;
  /** Text for recordings and the server. */
  record(text: string): void;
}

export interface MaskedOutputOptions {
  /** How long a partial line may wait for its newline before it is released. Default 100 ms. */
  partialLineDelayMs?: number;
}

export interface MaskedOutputWriter {
  write(chunk: Buffer | string): void;
  /** Flushes everything held (masked) and stops the timer. Idempotent. */
  end(): void;
}

export const DEFAULT_PARTIAL_LINE_DELAY_MS = 100;

export function createMaskedOutput(
  stream: StreamMasker,
  sinks: MaskedSinks,
  opts: MaskedOutputOptions = {},
): MaskedOutputWriter {
  const delay = opts.partialLineDelayMs ?? DEFAULT_PARTIAL_LINE_DELAY_MS;
  // TextDecoder in streaming mode keeps a character split across chunks for the next one, like
  // StringDecoder, and decodes more than twice as fast (bench/masking.ts: 1.2 against 2.6 ms per MiB).
  let decoder = new TextDecoder('utf-8');
  // Whether the decoder may hold the first bytes of a character split across chunks. While it cannot, an
  // all-ASCII chunk (most of a build's output) is read as Latin-1: the same characters, copied instead of
  // decoded, 9x faster (bench/masking.ts).
  let mayHoldBytes = false;
  let started = false;
  const decode = (chunk: Uint8Array): string => {
    if (!mayHoldBytes && isAscii(chunk)) {
      // A decoder that has seen nothing takes a byte-order mark as the start of the stream and drops it;
      // once ASCII went by without it, a later one is text.
      if (!started && chunk.length > 0) decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      started ||= chunk.length > 0;
      return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    }
    started ||= chunk.length > 0;
    mayHoldBytes = chunk.length > 0 ? chunk[chunk.length - 1]! >= 0x80 : mayHoldBytes;
    return decoder.decode(chunk, { stream: true });
  };
  let timer: NodeJS.Timeout | undefined;
  let ended = false;

  const emit = (output: MaskedOutput): void => {
    if (output.runner !== '') sinks.runner(output.runner);
    if (output.record !== '') sinks.record(output.record);
  };
  const stopTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const onTimer = (): void => {
    timer = undefined;
    if (!ended) emit(stream.flushPartial());
  };

  return {
    write(chunk) {
      if (ended) throw new Error('guard: masked output written after end()');
      const text = typeof chunk === 'string' ? chunk : decode(chunk);
      if (text === '') return;
      // With the bytes the masker classifies lines 16 bytes at a time before any regex runs.
      if (typeof chunk !== 'string' && stream.writeBytes) emit(stream.writeBytes(chunk, text));
      else emit(stream.write(text));
      const endsLine = text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1;
      if (!stream.pending()) stopTimer();
      // The oldest held character waits at most `delay`: a running timer is not pushed back by more of the
      // same line, but a write that ended a line starts the wait anew for what it left held (released on
      // the old timer, a tail read a moment ago went out before its end could come: `mail jane.doe`).
      else if (timer === undefined || endsLine) {
        stopTimer();
        timer = setTimeout(onTimer, delay);
        timer.unref();
      }
    },
    end() {
      if (ended) return;
      stopTimer();
      const rest = decoder.decode();
      if (rest !== '') emit(stream.write(rest));
      ended = true;
      emit(stream.flush());
    },
  };
}
