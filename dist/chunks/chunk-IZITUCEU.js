import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// masking/mask-transform.ts
import { isAscii } from "node:buffer";
var DEFAULT_PARTIAL_LINE_DELAY_MS = 100;
function createMaskedOutput(stream, sinks, opts = {}) {
  const delay = opts.partialLineDelayMs ?? DEFAULT_PARTIAL_LINE_DELAY_MS;
  let decoder = new TextDecoder("utf-8");
  let mayHoldBytes = false;
  let started = false;
  const decode = (chunk) => {
    if (!mayHoldBytes && isAscii(chunk)) {
      if (!started && chunk.length > 0) decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      started ||= chunk.length > 0;
      return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    }
    started ||= chunk.length > 0;
    mayHoldBytes = chunk.length > 0 ? chunk[chunk.length - 1] >= 128 : mayHoldBytes;
    return decoder.decode(chunk, { stream: true });
  };
  let timer;
  let ended = false;
  const emit = (output) => {
    if (output.runner !== "") sinks.runner(output.runner);
    if (output.record !== "") sinks.record(output.record);
  };
  const stopTimer = () => {
    if (timer !== void 0) clearTimeout(timer);
    timer = void 0;
  };
  const onTimer = () => {
    timer = void 0;
    if (!ended) emit(stream.flushPartial());
  };
  return {
    write(chunk) {
      if (ended) throw new Error("guard: masked output written after end()");
      const text = typeof chunk === "string" ? chunk : decode(chunk);
      if (text === "") return;
      if (typeof chunk !== "string" && stream.writeBytes) emit(stream.writeBytes(chunk, text));
      else emit(stream.write(text));
      const endsLine = text.indexOf("\n") !== -1 || text.indexOf("\r") !== -1;
      if (!stream.pending()) stopTimer();
      else if (timer === void 0 || endsLine) {
        stopTimer();
        timer = setTimeout(onTimer, delay);
        timer.unref();
      }
    },
    end() {
      if (ended) return;
      stopTimer();
      const rest = decoder.decode();
      if (rest !== "") emit(stream.write(rest));
      ended = true;
      emit(stream.flush());
    }
  };
}

export {
  createMaskedOutput
};
