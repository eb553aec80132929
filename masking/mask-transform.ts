// Node adapter around a StreamMasker: gives it bytes (or decodes UTF-8 across chunk boundaries for it),
// sends masked text to the runner and record sinks, and releases a partial line after a short delay so a
// prompt or a progress line without newline still shows up (the timer is unref'd: it never keeps the
// process alive).
import type { MaskedOutput, StreamMasker } from './masker.js';
import { Utf8Stream } from './utf8-stream.js';

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
  // For a stream that takes text only; one that takes bytes (writeUtf8) decodes them itself.
  const utf8 = new Utf8Stream();
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
      if (chunk.length === 0) return;
      let endsLine: boolean;
      if (typeof chunk !== 'string' && stream.writeUtf8) {
        // With the bytes the masker classifies lines 16 bytes at a time before any regex runs.
        emit(stream.writeUtf8(chunk));
        endsLine = chunk.indexOf(10) !== -1 || chunk.indexOf(13) !== -1;
      } else {
        const text = typeof chunk === 'string' ? chunk : utf8.decode(chunk);
        emit(stream.write(text));
        endsLine = text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1;
      }
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
      const rest = utf8.end();
      if (rest !== '') emit(stream.write(rest));
      ended = true;
      emit(stream.flush());
    },
  };
}
