import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// lib/digest.ts
import { createHash, randomBytes } from "node:crypto";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function newCredential(prefix) {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}
function newId(bytes = 8) {
  return randomBytes(bytes).toString("hex");
}

export {
  sha256Hex,
  newCredential,
  newId
};
