import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// recording/sha256.ts
import { createHash } from "node:crypto";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
var GENESIS_HEAD = "0".repeat(64);
function chainLink(previousHead, line) {
  return sha256Hex(`${previousHead}
${line}`);
}
function isSha256Hex(value) {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

export {
  sha256Hex,
  GENESIS_HEAD,
  chainLink,
  isSha256Hex
};
