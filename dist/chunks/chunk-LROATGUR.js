import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// runner-hook/protocol.ts
var CHUNK_BYTES = 512 * 1024;
var MAX_RECORDING_BYTES = 256 * 1024 * 1024;
var RECORDING_PATH = /^(?:events\.jsonl|steps\/[0-9]{1,6}\.cast)$/;
var RUNNER_CREDENTIAL_PREFIX = "grn_";

export {
  CHUNK_BYTES,
  MAX_RECORDING_BYTES,
  RECORDING_PATH,
  RUNNER_CREDENTIAL_PREFIX
};
