import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  Utf8Stream
} from "./chunk-P6WCDXRM.js";

// masking/mask-transform.ts
var DEFAULT_PARTIAL_LINE_DELAY_MS = 100;
function createMaskedOutput(stream, sinks, opts = {}) {
  const delay = opts.partialLineDelayMs ?? DEFAULT_PARTIAL_LINE_DELAY_MS;
  const utf8 = new Utf8Stream();
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
      if (chunk.length === 0) return;
      let endsLine;
      if (typeof chunk !== "string" && stream.writeUtf8) {
        emit(stream.writeUtf8(chunk));
        endsLine = chunk.indexOf(10) !== -1 || chunk.indexOf(13) !== -1;
      } else {
        const text = typeof chunk === "string" ? chunk : utf8.decode(chunk);
        emit(stream.write(text));
        endsLine = text.indexOf("\n") !== -1 || text.indexOf("\r") !== -1;
      }
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
      const rest = utf8.end();
      if (rest !== "") emit(stream.write(rest));
      ended = true;
      emit(stream.flush());
    }
  };
}

export {
  createMaskedOutput
};
