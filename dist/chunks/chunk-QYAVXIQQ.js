import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  MANIFEST_FILE
} from "./chunk-A5XFMG5Z.js";

// audit/dsse.ts
import { sign, verify } from "node:crypto";
function pae(payloadType, body) {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}
function dsseSign(payload, payloadType, key) {
  const sig = sign(digestFor(key.privateKey), pae(payloadType, payload), key.privateKey);
  return {
    payloadType,
    payload: Buffer.from(payload).toString("base64"),
    signatures: [{ keyid: key.keyId, sig: sig.toString("base64") }]
  };
}
function dsseVerify(envelope, publicKeys) {
  const shape = checkShape(envelope);
  if (typeof shape === "string") return { ok: false, signatures: [], problem: shape };
  const payload = decodeBase64(shape.payload);
  if (payload === void 0) return { ok: false, signatures: [], problem: "the payload is not base64" };
  const message = pae(shape.payloadType, payload);
  const result = { ok: false, payloadType: shape.payloadType, payload, signatures: [] };
  for (const signature of shape.signatures) {
    const sig = decodeBase64(signature.sig);
    const hinted = signature.keyid === void 0 ? void 0 : publicKeys.get(signature.keyid);
    const candidates = hinted ? [[signature.keyid, hinted]] : [...publicKeys.entries()];
    const match = sig === void 0 ? void 0 : candidates.find(([, key]) => verifyOne(key, message, sig));
    const status = match ? "valid" : hinted ? "invalid" : "unknown-key";
    result.signatures.push(signature.keyid === void 0 ? { status } : { keyid: signature.keyid, status });
    if (match && !result.ok) {
      result.ok = true;
      result.keyId = match[0];
    }
  }
  if (!result.ok) result.problem = describeFailure(result.signatures, publicKeys);
  return result;
}
function describeFailure(signatures, keys) {
  if (signatures.length === 0) return "the envelope has no signatures";
  const invalid = signatures.find((s) => s.status === "invalid");
  if (invalid) {
    return `the signature does not verify with key ${invalid.keyid}: the signed content was altered, or it was re-signed with another key under that key id`;
  }
  const ids = signatures.map((s) => s.keyid ?? "(no key id)").join(", ");
  return `signed by ${ids}, which is not among the ${keys.size} trusted key(s): it was signed by another key, or you need the server's current keys`;
}
function verifyOne(key, message, sig) {
  try {
    if (key.asymmetricKeyType === "ec") {
      const dsaEncoding = sig.length === 64 ? "ieee-p1363" : "der";
      return verify("sha256", message, { key, dsaEncoding }, sig);
    }
    return verify(digestFor(key), message, key, sig);
  } catch {
    return false;
  }
}
function digestFor(key) {
  return key.asymmetricKeyType === "ed25519" ? null : "sha256";
}
function checkShape(value) {
  if (typeof value !== "object" || value === null) return "not a DSSE envelope (not a JSON object)";
  const env = value;
  if (typeof env.payloadType !== "string" || typeof env.payload !== "string" || !Array.isArray(env.signatures)) {
    return "not a DSSE envelope (needs payloadType, payload and signatures)";
  }
  for (const s of env.signatures) {
    const sig = s;
    if (typeof sig !== "object" || sig === null || typeof sig.sig !== "string")
      return "a signature has no sig";
    if (sig.keyid !== void 0 && typeof sig.keyid !== "string") return "a signature keyid is not a string";
  }
  return env;
}
function decodeBase64(text) {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return void 0;
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

// audit/in-toto.ts
import { createHash } from "node:crypto";
var STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
var IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
var PREDICATE_TYPE = "https://guard.dev/audit-manifest/v1";
function statementFor(manifestBytes, manifest, signedAt) {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      { name: MANIFEST_FILE, digest: { sha256: createHash("sha256").update(manifestBytes).digest("hex") } },
      ...manifest.files.map((f) => ({ name: f.path, digest: { sha256: f.sha256 } }))
    ],
    predicateType: PREDICATE_TYPE,
    predicate: {
      sessionId: manifest.sessionId,
      repository: manifest.identity.repository,
      runId: manifest.identity.run_id,
      runAttempt: manifest.identity.run_attempt,
      job: manifest.job,
      signedAt: signedAt.toISOString()
    }
  };
}
function parseStatement(payload) {
  let value;
  try {
    value = JSON.parse(Buffer.from(payload).toString("utf8"));
  } catch {
    return "the signed payload is not JSON";
  }
  const s = value;
  if (s?._type !== STATEMENT_TYPE)
    return `the signed payload is not an in-toto Statement v1 (_type ${JSON.stringify(s?._type)})`;
  if (s.predicateType !== PREDICATE_TYPE)
    return `the statement's predicateType is ${JSON.stringify(s.predicateType)}, not ${PREDICATE_TYPE}`;
  if (!Array.isArray(s.subject) || s.subject.some((x) => typeof x?.name !== "string" || typeof x.digest?.sha256 !== "string")) {
    return "the statement has malformed subjects";
  }
  if (typeof s.predicate?.signedAt !== "string") return "the statement has no signedAt";
  return s;
}

export {
  dsseSign,
  dsseVerify,
  IN_TOTO_PAYLOAD_TYPE,
  statementFor,
  parseStatement
};
