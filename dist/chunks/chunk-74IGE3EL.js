import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  dsseSign,
  dsseVerify
} from "./chunk-QYAVXIQQ.js";
import {
  GENESIS_HEAD,
  isSha256Hex,
  sha256Hex
} from "./chunk-CJTZJTWV.js";
import {
  canonicalJson
} from "./chunk-PPEQLLQ3.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// audit/signing-keys.ts
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
var KEYS_WELL_KNOWN_PATH = "/.well-known/guard-keys.json";
function generateSigningKey(algorithm = "ed25519", now = /* @__PURE__ */ new Date()) {
  const { privateKey, publicKey } = algorithm === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { keyId: keyIdFor(publicKey), algorithm, privateKey, publicKey, notBefore: now.toISOString() };
}
function keyIdFor(publicKey) {
  return `sha256:${createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex")}`;
}
function algorithmOf(key) {
  if (key.asymmetricKeyType === "ed25519") return "ed25519";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return "ecdsa-p256";
  throw new GuardError(
    "CONFIG_INVALID",
    `guard: signing keys must be Ed25519 or ECDSA P-256, not ${key.asymmetricKeyType}`
  );
}
function exportSigningKey(key) {
  const stored = {
    keyid: key.keyId,
    algorithm: key.algorithm,
    privateKeyPem: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    notBefore: key.notBefore
  };
  if (key.notAfter !== void 0) stored.notAfter = key.notAfter;
  return stored;
}
function importSigningKey(stored) {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdFor(publicKey);
  if (keyId !== stored.keyid) {
    throw new GuardError(
      "CONFIG_INVALID",
      `guard: stored signing key ${stored.keyid} does not match its private key (${keyId}); the key store is corrupt`
    );
  }
  const key = {
    keyId,
    algorithm: algorithmOf(publicKey),
    privateKey,
    publicKey,
    notBefore: stored.notBefore
  };
  if (stored.notAfter !== void 0) key.notAfter = stored.notAfter;
  return key;
}
function publishKey(key) {
  const published = {
    keyid: key.keyId,
    algorithm: key.algorithm,
    publicKeyPem: key.publicKey.export({ type: "spki", format: "pem" }).toString(),
    jwk: { ...key.publicKey.export({ format: "jwk" }), kid: key.keyId, use: "sig" }
  };
  if (key.notBefore !== void 0) published.notBefore = key.notBefore;
  if (key.notAfter !== void 0) published.notAfter = key.notAfter;
  if ("revoked" in key && key.revoked) published.revoked = true;
  return published;
}
function rotateKeySet(set, algorithm = "ed25519", now = /* @__PURE__ */ new Date()) {
  const next = generateSigningKey(algorithm, now);
  if (set === void 0) return { active: next, retired: [] };
  return { active: next, retired: [{ ...set.active, notAfter: now.toISOString() }, ...set.retired] };
}
function keysDocument(set) {
  return { keys: [set.active, ...set.retired].map(publishKey) };
}
function parseTrustedKeys(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) {
    const pems = trimmed.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
    if (pems.length === 0)
      throw badKeys(
        'found PEM text but no "BEGIN PUBLIC KEY" block (give the public key, not the private one)'
      );
    return pems.map((pem) => trustedFrom(createPublicKey(pem)));
  }
  let json;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    throw badKeys("it is neither PEM nor JSON", error);
  }
  const doc = json;
  const entries = Array.isArray(doc.keys) ? doc.keys : doc.kty !== void 0 ? [doc] : void 0;
  if (entries === void 0) throw badKeys('JSON without a "keys" array or a JWK');
  return entries.map((entry) => trustedFromJson(entry));
}
function trustedFromJson(entry) {
  let publicKey;
  try {
    if (typeof entry.publicKeyPem === "string") publicKey = createPublicKey(entry.publicKeyPem);
    else if (typeof entry.jwk === "object" && entry.jwk !== null)
      publicKey = createPublicKey({ key: entry.jwk, format: "jwk" });
    else publicKey = createPublicKey({ key: entry, format: "jwk" });
  } catch (error) {
    throw badKeys(`key ${labelOf(entry)} is not a valid public key`, error);
  }
  const key = trustedFrom(publicKey);
  const claimed = entry.keyid ?? entry.kid;
  if (typeof claimed === "string" && claimed.startsWith("sha256:") && claimed !== key.keyId) {
    throw badKeys(`key ${claimed} has the id ${key.keyId} when computed from the key itself`);
  }
  if (typeof entry.notBefore === "string") key.notBefore = entry.notBefore;
  if (typeof entry.notAfter === "string") key.notAfter = entry.notAfter;
  if (entry.revoked === true) key.revoked = true;
  return key;
}
function labelOf(entry) {
  if (typeof entry.keyid === "string") return entry.keyid;
  return typeof entry.kid === "string" ? entry.kid : "(no key id)";
}
function trustedFrom(publicKey) {
  return { keyId: keyIdFor(publicKey), algorithm: algorithmOf(publicKey), publicKey };
}
function badKeys(why, cause) {
  return new GuardError(
    "BAD_INPUT",
    `guard: cannot read the trusted keys: ${why}`,
    cause === void 0 ? void 0 : { cause }
  );
}

// audit/ledger.ts
function appendLedgerEntry(previous, fields, at = /* @__PURE__ */ new Date()) {
  const body = {
    ...fields,
    seq: (previous?.seq ?? 0) + 1,
    at: at.toISOString(),
    prev: previous?.hash ?? GENESIS_HEAD
  };
  return { ...body, hash: ledgerEntryHash(body) };
}
function ledgerEntryHash(entry) {
  const { hash: _ignored, ...body } = entry;
  return sha256Hex(canonicalJson(body));
}
var CHECKPOINT_PAYLOAD_TYPE = "application/vnd.guard.ledger-checkpoint+json";
function signCheckpoint(entry, key, at = /* @__PURE__ */ new Date()) {
  const payload = { seq: entry.seq, hash: entry.hash, at: at.toISOString() };
  return {
    ...payload,
    envelope: dsseSign(Buffer.from(canonicalJson(payload)), CHECKPOINT_PAYLOAD_TYPE, key)
  };
}
function verifyLedger(rows, checkpoints, keys, options = {}) {
  const problems = [];
  const result = { ok: false, problems, head: GENESIS_HEAD, count: rows.length };
  const bySeq = /* @__PURE__ */ new Map();
  const first = rows[0];
  if (first !== void 0 && first.seq !== 1 && !options.partial) {
    const retention = rows.find((r) => r.kind === "retention" && r.throughSeq === first.seq - 1);
    if (retention === void 0 || retention.throughHash !== first.prev) {
      problems.push({
        seq: 1,
        message: `rows 1-${first.seq - 1} are missing and no retention row records their deletion (rows were deleted)`
      });
    }
  }
  let prevHash = first?.seq === 1 ? GENESIS_HEAD : first?.prev ?? GENESIS_HEAD;
  let expectedSeq = first?.seq ?? 1;
  for (const row of rows) {
    if (problems.length > 0) break;
    if (!Number.isInteger(row.seq) || !isSha256Hex(row.prev) || !isSha256Hex(row.hash)) {
      problems.push({ seq: row.seq, message: `row ${String(row.seq)} is malformed (needs seq, prev, hash)` });
    } else if (ledgerEntryHash(row) !== row.hash) {
      problems.push({ seq: row.seq, message: `row ${row.seq} does not match its hash (the row was edited)` });
    } else if (row.seq !== expectedSeq) {
      problems.push({
        seq: expectedSeq,
        message: row.seq > expectedSeq ? `row ${row.seq} follows row ${expectedSeq - 1}: ${row.seq - expectedSeq === 1 ? `row ${expectedSeq} is` : `rows ${expectedSeq}-${row.seq - 1} are`} missing (deleted)` : `row ${row.seq} appears after row ${expectedSeq - 1} (rows were reordered or duplicated)`
      });
    } else if (row.prev !== prevHash) {
      problems.push({
        seq: row.seq,
        message: `row ${row.seq}: prev does not match row ${row.seq - 1}'s hash (row ${row.seq - 1} was rewritten or replaced)`
      });
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    bySeq.set(row.seq, row);
  }
  result.head = prevHash;
  result.firstSeq = first?.seq;
  result.lastSeq = rows.at(-1)?.seq;
  if (problems.length === 0) checkCheckpoints(checkpoints, keys, bySeq, result);
  result.ok = problems.length === 0;
  return result;
}
function checkCheckpoints(checkpoints, keys, bySeq, result) {
  const trusted = new Map(
    keys.filter((k) => !k.revoked).map((k) => [k.keyId, k.publicKey])
  );
  const firstSeq = result.firstSeq ?? 1;
  for (const cp of checkpoints) {
    const verified = dsseVerify(cp.envelope, trusted);
    if (!verified.ok || verified.payloadType !== CHECKPOINT_PAYLOAD_TYPE) {
      result.problems.push({
        seq: cp.seq,
        message: `checkpoint at row ${cp.seq}: ${verified.problem ?? "wrong payload type"}`
      });
      continue;
    }
    const signed = JSON.parse(verified.payload.toString("utf8"));
    if (signed.seq !== cp.seq || signed.hash !== cp.hash) {
      result.problems.push({
        seq: cp.seq,
        message: `checkpoint at row ${cp.seq}: its fields differ from what was signed (the checkpoint was edited)`
      });
      continue;
    }
    if (signed.seq < firstSeq) continue;
    const row = bySeq.get(signed.seq);
    if (row === void 0) {
      result.problems.push({
        seq: signed.seq,
        message: `checkpoint signed at ${signed.at} covers row ${signed.seq} but the ledger ends at row ${result.lastSeq ?? 0} (the ledger was truncated)`
      });
    } else if (row.hash !== signed.hash) {
      result.problems.push({
        seq: signed.seq,
        message: `row ${signed.seq} has hash ${row.hash.slice(0, 12)}... but the checkpoint signed ${signed.hash.slice(0, 12)}... (the ledger was rewritten after the checkpoint)`
      });
    } else {
      result.checkpointSeq = Math.max(result.checkpointSeq ?? 0, signed.seq);
    }
  }
}
function ledgerExportLine(item) {
  return `${JSON.stringify("envelope" in item ? { type: "checkpoint", ...item } : { type: "ledger.entry", ...item })}
`;
}
function parseLedgerExport(text) {
  const rows = [];
  const checkpoints = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TypeError(`ledger export line ${i + 1} is not JSON`);
    }
    const { type, ...rest } = value;
    if (type === "checkpoint") checkpoints.push(rest);
    else if (type === "ledger.entry") rows.push(rest);
  }
  return { rows, checkpoints };
}

export {
  KEYS_WELL_KNOWN_PATH,
  exportSigningKey,
  importSigningKey,
  rotateKeySet,
  keysDocument,
  parseTrustedKeys,
  appendLedgerEntry,
  signCheckpoint,
  verifyLedger,
  ledgerExportLine,
  parseLedgerExport
};
