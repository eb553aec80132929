import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  IN_TOTO_PAYLOAD_TYPE,
  dsseSign,
  statementFor
} from "./chunk-QYAVXIQQ.js";
import {
  parseManifest
} from "./chunk-A5XFMG5Z.js";
import {
  canonicalJson
} from "./chunk-PPEQLLQ3.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// audit/sign-manifest.ts
function signManifest(manifestBytes, key, now = /* @__PURE__ */ new Date()) {
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === "string")
    throw new GuardError("BAD_INPUT", `guard: cannot sign the audit manifest: ${manifest}`);
  if (key.notAfter !== void 0 && now.toISOString() >= key.notAfter) {
    throw new GuardError(
      "CONFIG_INVALID",
      `guard: signing key ${key.keyId} was retired at ${key.notAfter}; sign with the active key`
    );
  }
  const statement = statementFor(manifestBytes, manifest, now);
  return dsseSign(Buffer.from(canonicalJson(statement), "utf8"), IN_TOTO_PAYLOAD_TYPE, key);
}
function serialiseEnvelope(envelope) {
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}
`, "utf8");
}

export {
  signManifest,
  serialiseEnvelope
};
