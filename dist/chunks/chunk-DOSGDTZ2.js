import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GENESIS_HEAD,
  chainLink
} from "./chunk-CJTZJTWV.js";

// recording/asciicast.ts
var CAST_CHAIN_PREFIX = "#chain ";
function createCastRecorder(header, startedAtMs) {
  validateSize(header.cols, header.rows, "header");
  if (!Number.isFinite(startedAtMs))
    throw new TypeError("createCastRecorder: startedAtMs must be a finite number");
  let head = GENESIS_HEAD;
  let lines = 0;
  let headerDone = false;
  let lastUs = 0;
  const emit = (line) => {
    head = chainLink(head, line);
    const index = lines;
    lines += 1;
    return `${line}
${CAST_CHAIN_PREFIX}${index} ${head}
`;
  };
  const event = (code, data, atMs) => {
    if (!headerDone) throw new TypeError("CastRecorder: write the header before any event");
    if (!Number.isFinite(atMs)) throw new TypeError("CastRecorder: atMs must be a finite number");
    const nowUs = Math.max(lastUs, Math.round((atMs - startedAtMs) * 1e3));
    const interval = formatInterval(nowUs - lastUs);
    lastUs = nowUs;
    return emit(`[${interval}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]`);
  };
  return {
    header() {
      if (headerDone) throw new TypeError("CastRecorder: the header was already written");
      headerDone = true;
      return emit(JSON.stringify(headerObject(header, startedAtMs)));
    },
    output: (text, atMs) => event("o", text, atMs),
    input: (text, atMs) => event("i", text, atMs),
    marker: (label, atMs) => event("m", label, atMs),
    resize(cols, rows, atMs) {
      validateSize(cols, rows, "resize");
      return event("r", `${cols}x${rows}`, atMs);
    },
    exit(status, atMs) {
      if (!Number.isInteger(status))
        throw new TypeError(`CastRecorder: exit status ${status} is not an integer`);
      return event("x", String(status), atMs);
    },
    head: () => head,
    count: () => lines
  };
}
function headerObject(header, startedAtMs) {
  const term = { cols: header.cols, rows: header.rows };
  if (header.termType !== void 0) term.type = header.termType;
  const out = {
    version: 3,
    term,
    // asciinema reads the timestamp as an unsigned integer.
    timestamp: Math.floor(header.timestamp ?? startedAtMs / 1e3)
  };
  if (header.idleTimeLimit !== void 0) out.idle_time_limit = header.idleTimeLimit;
  if (header.command !== void 0) out.command = header.command;
  if (header.title !== void 0) out.title = header.title;
  if (header.env !== void 0 && Object.keys(header.env).length > 0) out.env = header.env;
  return out;
}
function formatInterval(micros) {
  const whole = Math.floor(micros / 1e6);
  const fraction = String(micros % 1e6).padStart(6, "0").replace(/0+$/, "");
  return `${whole}.${fraction === "" ? "0" : fraction}`;
}
function validateSize(cols, rows, where) {
  const ok = (n) => Number.isInteger(n) && n > 0 && n <= 65535;
  if (!ok(cols) || !ok(rows)) {
    throw new TypeError(
      `CastRecorder: ${where} size ${cols}x${rows} is not two integers between 1 and 65535`
    );
  }
}

export {
  CAST_CHAIN_PREFIX,
  createCastRecorder
};
