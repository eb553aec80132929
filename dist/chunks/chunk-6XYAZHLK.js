import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  createStatementAnalyzer,
  tokenize
} from "./chunk-LILV5R5L.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";

// pg-proxy/proxy.ts
import { createServer } from "node:net";

// pg-proxy/auth/scram-server.ts
import { randomBytes } from "node:crypto";

// pg-proxy/auth/scram-primitives.ts
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from "node:crypto";
var SCRAM_MECHANISM = "SCRAM-SHA-256";
var SCRAM_ITERATIONS = 4096;
function hmac(key, data) {
  return createHmac("sha256", key).update(data).digest();
}
function sha256(data) {
  return createHash("sha256").update(data).digest();
}
function saltedPassword(password, salt, iterations) {
  return pbkdf2Sync(Buffer.from(password.normalize("NFKC"), "utf8"), salt, iterations, 32, "sha256");
}
function xor(a, b) {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}
function safeEqual(a, b) {
  return a.length === b.length && timingSafeEqual(a, b);
}
function parseAttributes(message) {
  const attributes = /* @__PURE__ */ new Map();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq === 1) attributes.set(part[0], part.slice(2));
  }
  return attributes;
}

// pg-proxy/auth/scram-server.ts
function createScramVerifier(password, iterations = SCRAM_ITERATIONS) {
  const salt = randomBytes(16);
  const salted = saltedPassword(password, salt, iterations);
  return {
    salt,
    iterations,
    storedKey: sha256(hmac(salted, "Client Key")),
    serverKey: hmac(salted, "Server Key")
  };
}
var ScramServerExchange = class {
  constructor(verifier) {
    this.verifier = verifier;
  }
  verifier;
  clientFirstBare = "";
  serverFirst = "";
  nonce = "";
  serverFirstFor(clientFirstData) {
    const clientFirst = clientFirstData.toString("utf8");
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(clientFirst);
    if (match === null)
      return { ok: false, reason: "malformed SCRAM client-first message or channel binding requested" };
    this.clientFirstBare = match[2];
    const clientNonce = parseAttributes(this.clientFirstBare).get("r");
    if (clientNonce === void 0 || clientNonce.length === 0)
      return { ok: false, reason: "SCRAM client nonce missing" };
    this.nonce = clientNonce + randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString("base64")},i=${this.verifier.iterations}`;
    return { ok: true, reply: Buffer.from(this.serverFirst, "utf8") };
  }
  serverFinalFor(clientFinalData) {
    const clientFinal = clientFinalData.toString("utf8");
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) return { ok: false, reason: "SCRAM proof missing" };
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof);
    if (attrs.get("r") !== this.nonce) return { ok: false, reason: "SCRAM nonce mismatch" };
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.verifier.storedKey, authMessage);
    if (proof.length !== clientSignature.length)
      return { ok: false, reason: "password authentication failed" };
    const clientKey = xor(proof, clientSignature);
    if (!safeEqual(sha256(clientKey), this.verifier.storedKey)) {
      return { ok: false, reason: "password authentication failed" };
    }
    const serverSignature = hmac(this.verifier.serverKey, authMessage);
    return { ok: true, reply: Buffer.from(`v=${serverSignature.toString("base64")}`, "utf8") };
  }
};

// pg-proxy/protocol/protocol-error.ts
var ProtocolError = class extends Error {
  name = "ProtocolError";
};

// pg-proxy/protocol/buffer-reader.ts
var BufferReader = class {
  constructor(buf) {
    this.buf = buf;
  }
  buf;
  offset = 0;
  get remaining() {
    return this.buf.length - this.offset;
  }
  int8() {
    this.need(1);
    return this.buf.readUInt8(this.offset++);
  }
  int16() {
    this.need(2);
    const value = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32() {
    this.need(4);
    const value = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint32() {
    this.need(4);
    const value = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  /** A NUL-terminated UTF-8 string. */
  cstring() {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new ProtocolError("string field is not NUL-terminated");
    const value = this.buf.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return value;
  }
  bytes(length) {
    if (length < 0) throw new ProtocolError(`negative field length ${length}`);
    this.need(length);
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  rest() {
    const value = this.buf.subarray(this.offset);
    this.offset = this.buf.length;
    return value;
  }
  need(n) {
    if (this.offset + n > this.buf.length) {
      throw new ProtocolError(`message is truncated: needs ${n} more byte(s) at offset ${this.offset}`);
    }
  }
};

// pg-proxy/protocol/message-codes.ts
var FrontendCode = {
  Bind: 66,
  // 'B'
  Close: 67,
  // 'C'
  CopyData: 100,
  // 'd'
  CopyDone: 99,
  // 'c'
  CopyFail: 102,
  // 'f'
  Describe: 68,
  // 'D'
  Execute: 69,
  // 'E'
  Flush: 72,
  // 'H'
  FunctionCall: 70,
  // 'F'
  Parse: 80,
  // 'P'
  /** PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse all use 'p'. */
  Password: 112,
  // 'p'
  Query: 81,
  // 'Q'
  Sync: 83,
  // 'S'
  Terminate: 88
  // 'X'
};
var BackendCode = {
  Authentication: 82,
  // 'R'
  BackendKeyData: 75,
  // 'K'
  BindComplete: 50,
  // '2'
  CloseComplete: 51,
  // '3'
  CommandComplete: 67,
  // 'C'
  CopyBothResponse: 87,
  // 'W'
  CopyData: 100,
  // 'd'
  CopyDone: 99,
  // 'c'
  CopyInResponse: 71,
  // 'G'
  CopyOutResponse: 72,
  // 'H'
  DataRow: 68,
  // 'D'
  EmptyQueryResponse: 73,
  // 'I'
  ErrorResponse: 69,
  // 'E'
  FunctionCallResponse: 86,
  // 'V'
  NegotiateProtocolVersion: 118,
  // 'v'
  NoData: 110,
  // 'n'
  NoticeResponse: 78,
  // 'N'
  NotificationResponse: 65,
  // 'A'
  ParameterDescription: 116,
  // 't'
  ParameterStatus: 83,
  // 'S'
  ParseComplete: 49,
  // '1'
  PortalSuspended: 115,
  // 's'
  ReadyForQuery: 90,
  // 'Z'
  RowDescription: 84
  // 'T'
};
var AuthCode = {
  Ok: 0,
  CleartextPassword: 3,
  MD5Password: 5,
  SASL: 10,
  SASLContinue: 11,
  SASLFinal: 12
};
var StartupCode = {
  ProtocolV3: 196608,
  // 3 << 16
  CancelRequest: 80877102,
  SSLRequest: 80877103,
  GSSENCRequest: 80877104
};
var ErrorField = {
  Severity: 83,
  // 'S' (localised)
  SeverityNonLocalized: 86,
  // 'V'
  Code: 67,
  // 'C'
  Message: 77,
  // 'M'
  Detail: 68,
  // 'D'
  Hint: 72,
  // 'H'
  Position: 80,
  // 'P'
  InternalPosition: 112,
  // 'p'
  InternalQuery: 113,
  // 'q'
  Where: 87,
  // 'W'
  Schema: 115,
  // 's'
  Table: 116,
  // 't'
  Column: 99,
  // 'c'
  DataType: 100,
  // 'd'
  Constraint: 110,
  // 'n'
  File: 70,
  // 'F'
  Line: 76,
  // 'L'
  Routine: 82
  // 'R'
};
var TransactionStatus = {
  Idle: 73,
  // 'I'
  InTransaction: 84,
  // 'T'
  Failed: 69
  // 'E'
};

// pg-proxy/protocol/decode.ts
function decodeStartup(payload) {
  const r = new BufferReader(payload);
  const version = r.int32();
  if (version === StartupCode.SSLRequest) return { kind: "ssl" };
  if (version === StartupCode.GSSENCRequest) return { kind: "gssenc" };
  if (version === StartupCode.CancelRequest) return { kind: "cancel", pid: r.int32(), secret: r.int32() };
  const params = {};
  while (r.remaining > 1) {
    const name = r.cstring();
    params[name] = r.cstring();
  }
  return { kind: "startup", version, params };
}
function decodeQuery(payload) {
  return new BufferReader(payload).cstring();
}
function decodeParse(payload) {
  const r = new BufferReader(payload);
  const name = r.cstring();
  const text = r.cstring();
  const count = r.int16();
  const paramTypes = [];
  for (let i = 0; i < count; i++) paramTypes.push(r.uint32());
  return { name, text, paramTypes };
}
function decodeBind(payload) {
  const r = new BufferReader(payload);
  const portal = r.cstring();
  const statement = r.cstring();
  const paramFormats = int16List(r);
  const paramCount = r.int16();
  const params = [];
  for (let i = 0; i < paramCount; i++) {
    const length = r.int32();
    params.push(length === -1 ? null : r.bytes(length));
  }
  const resultFormats = int16List(r);
  return { portal, statement, paramFormats, params, resultFormats };
}
function decodeTarget(payload) {
  const r = new BufferReader(payload);
  const target = String.fromCharCode(r.int8());
  if (target !== "S" && target !== "P") throw new ProtocolError(`Describe/Close target must be 'S' or 'P'`);
  return { target, name: r.cstring() };
}
function decodeExecute(payload) {
  const r = new BufferReader(payload);
  return { portal: r.cstring(), maxRows: r.int32() };
}
function decodeSaslInitial(payload) {
  const r = new BufferReader(payload);
  const mechanism = r.cstring();
  const length = r.int32();
  return { mechanism, data: length === -1 ? Buffer.alloc(0) : r.bytes(length) };
}
function decodeAuthentication(payload) {
  const r = new BufferReader(payload);
  return { code: r.int32(), data: r.rest() };
}
function decodeSaslMechanisms(data) {
  const r = new BufferReader(data);
  const mechanisms = [];
  while (r.remaining > 1) mechanisms.push(r.cstring());
  return mechanisms;
}
function decodeErrorFields(payload) {
  const r = new BufferReader(payload);
  const fields = [];
  while (r.remaining > 0) {
    const type = r.int8();
    if (type === 0) break;
    fields.push([type, r.cstring()]);
  }
  return fields;
}
function decodeRowDescription(payload) {
  const r = new BufferReader(payload);
  const count = r.int16();
  const fields = [];
  for (let i = 0; i < count; i++) {
    fields.push({
      name: r.cstring(),
      tableOid: r.uint32(),
      attnum: r.int16(),
      typeOid: r.uint32(),
      typeSize: r.int16(),
      typeMod: r.int32(),
      format: r.int16()
    });
  }
  return fields;
}
function decodeDataRow(payload) {
  const r = new BufferReader(payload);
  const count = r.int16();
  const values = [];
  for (let i = 0; i < count; i++) {
    const length = r.int32();
    values.push(length === -1 ? null : r.bytes(length));
  }
  return values;
}
function decodeCommandComplete(payload) {
  return new BufferReader(payload).cstring();
}
function decodeParameterStatus(payload) {
  const r = new BufferReader(payload);
  return { name: r.cstring(), value: r.cstring() };
}
function decodeBackendKeyData(payload) {
  const r = new BufferReader(payload);
  return { pid: r.int32(), secret: r.int32() };
}
function decodeCopyResponse(payload) {
  const r = new BufferReader(payload);
  const format = r.int8();
  return { format, columnFormats: int16List(r) };
}
function rowsFromCommandTag(tag) {
  const last = tag.lastIndexOf(" ");
  if (last < 0) return void 0;
  const n = Number(tag.slice(last + 1));
  return Number.isInteger(n) ? n : void 0;
}
function int16List(r) {
  const count = r.int16();
  const list = [];
  for (let i = 0; i < count; i++) list.push(r.int16());
  return list;
}

// pg-proxy/protocol/message-builder.ts
var MessageBuilder = class {
  parts = [];
  size = 0;
  int8(value) {
    const b = Buffer.allocUnsafe(1);
    b.writeUInt8(value & 255, 0);
    return this.push(b);
  }
  int16(value) {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(value, 0);
    return this.push(b);
  }
  int32(value) {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(value | 0, 0);
    return this.push(b);
  }
  uint32(value) {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(value >>> 0, 0);
    return this.push(b);
  }
  cstring(value) {
    this.push(Buffer.from(value, "utf8"));
    return this.push(Buffer.from([0]));
  }
  bytes(value) {
    return this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  /** The finished message: type byte (omitted when code is undefined), int32 length, body. */
  build(code) {
    const header = code === void 0 ? 4 : 5;
    const out = Buffer.allocUnsafe(header + this.size);
    let offset = 0;
    if (code !== void 0) out[offset++] = code;
    out.writeInt32BE(this.size + 4, offset);
    offset += 4;
    for (const part of this.parts) {
      part.copy(out, offset);
      offset += part.length;
    }
    return out;
  }
  push(b) {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
};

// pg-proxy/protocol/encode.ts
function encodeStartup(params) {
  const b = new MessageBuilder().int32(StartupCode.ProtocolV3);
  for (const [name, value] of Object.entries(params)) b.cstring(name).cstring(value);
  return b.int8(0).build();
}
function encodeSslRequest() {
  return new MessageBuilder().int32(StartupCode.SSLRequest).build();
}
function encodeCancelRequest(pid, secret) {
  return new MessageBuilder().int32(StartupCode.CancelRequest).int32(pid).int32(secret).build();
}
function encodePassword(password) {
  return new MessageBuilder().cstring(password).build(FrontendCode.Password);
}
function encodeSaslInitial(mechanism, data) {
  return new MessageBuilder().cstring(mechanism).int32(data.length).bytes(data).build(FrontendCode.Password);
}
function encodeSaslResponse(data) {
  return new MessageBuilder().bytes(data).build(FrontendCode.Password);
}
function encodeQuery(text) {
  return new MessageBuilder().cstring(text).build(FrontendCode.Query);
}
function encodeParse(name, text, paramTypes = []) {
  const b = new MessageBuilder().cstring(name).cstring(text).int16(paramTypes.length);
  for (const oid of paramTypes) b.uint32(oid);
  return b.build(FrontendCode.Parse);
}
function encodeDescribe(target, name) {
  return new MessageBuilder().int8(target.charCodeAt(0)).cstring(name).build(FrontendCode.Describe);
}
function encodeFlush() {
  return new MessageBuilder().build(FrontendCode.Flush);
}
function encodeSync() {
  return new MessageBuilder().build(FrontendCode.Sync);
}
function encodeTerminate() {
  return new MessageBuilder().build(FrontendCode.Terminate);
}
function encodeAuthentication(code, data) {
  const b = new MessageBuilder().int32(code);
  if (data !== void 0) b.bytes(data);
  return b.build(BackendCode.Authentication);
}
function encodeAuthenticationOk() {
  return encodeAuthentication(AuthCode.Ok);
}
function encodeSaslMechanisms(mechanisms) {
  const b = new MessageBuilder().int32(AuthCode.SASL);
  for (const m of mechanisms) b.cstring(m);
  return b.int8(0).build(BackendCode.Authentication);
}
function encodeParameterStatus(name, value) {
  return new MessageBuilder().cstring(name).cstring(value).build(BackendCode.ParameterStatus);
}
function encodeBackendKeyData(pid, secret) {
  return new MessageBuilder().int32(pid).int32(secret).build(BackendCode.BackendKeyData);
}
function encodeReadyForQuery(status) {
  return new MessageBuilder().int8(status).build(BackendCode.ReadyForQuery);
}
function encodeFields(code, fields) {
  const b = new MessageBuilder();
  for (const [type, value] of fields) b.int8(type).cstring(value);
  return b.int8(0).build(code);
}
function encodeErrorFields(fields) {
  return encodeFields(BackendCode.ErrorResponse, fields);
}
function encodeNoticeFields(fields) {
  return encodeFields(BackendCode.NoticeResponse, fields);
}
function encodeError(sqlstate, message, detail, hint) {
  return encodeErrorFields(errorFields("ERROR", sqlstate, message, detail, hint));
}
function encodeFatal(sqlstate, message, detail, hint) {
  return encodeErrorFields(errorFields("FATAL", sqlstate, message, detail, hint));
}
function errorFields(severity, sqlstate, message, detail, hint) {
  const fields = [
    [ErrorField.Severity, severity],
    [ErrorField.SeverityNonLocalized, severity],
    [ErrorField.Code, sqlstate],
    [ErrorField.Message, message]
  ];
  if (detail !== void 0) fields.push([ErrorField.Detail, detail]);
  if (hint !== void 0) fields.push([ErrorField.Hint, hint]);
  return fields;
}
function encodeDataRow(values) {
  let size = 2;
  for (const v of values) size += 4 + (v === null ? 0 : v.length);
  const out = Buffer.allocUnsafe(5 + size);
  out[0] = BackendCode.DataRow;
  out.writeInt32BE(size + 4, 1);
  out.writeInt16BE(values.length, 5);
  let offset = 7;
  for (const v of values) {
    if (v === null) {
      out.writeInt32BE(-1, offset);
      offset += 4;
      continue;
    }
    out.writeInt32BE(v.length, offset);
    offset += 4;
    out.set(v, offset);
    offset += v.length;
  }
  return out;
}
function encodeCopyData(data) {
  return new MessageBuilder().bytes(data).build(BackendCode.CopyData);
}

// pg-proxy/protocol/frame-reader.ts
var MAX_STARTUP_LENGTH = 1e4;
var MAX_MESSAGE_LENGTH = 1073741823;
var FrameReader = class {
  pending;
  untyped;
  maxLength;
  constructor(options = {}) {
    this.untyped = options.untypedFirst ?? false;
    this.maxLength = options.maxMessageLength ?? MAX_MESSAGE_LENGTH;
  }
  /**
   * After an SSLRequest or GSSENCRequest answered 'N', the client sends another untyped startup message;
   * after a StartupMessage, every message is typed.
   */
  expectUntyped(untyped) {
    this.untyped = untyped;
  }
  /** Bytes held back waiting for the rest of a message. */
  get buffered() {
    return this.pending?.length ?? 0;
  }
  /** Feeds one chunk; returns the messages it completes, in order. Throws ProtocolError on a bad length. */
  push(chunk) {
    let buf = toBuffer(chunk);
    if (this.pending !== void 0) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = void 0;
    }
    const frames = [];
    let offset = 0;
    while (true) {
      const headerSize = this.untyped ? 4 : 5;
      if (buf.length - offset < headerSize) break;
      const code = this.untyped ? 0 : buf[offset];
      const length = buf.readInt32BE(offset + headerSize - 4);
      this.checkLength(code, length);
      const total = length + headerSize - 4;
      if (buf.length - offset < total) break;
      const raw = buf.subarray(offset, offset + total);
      frames.push({ code, payload: raw.subarray(headerSize), raw });
      offset += total;
      if (this.untyped) this.untyped = false;
    }
    if (offset < buf.length) this.pending = buf.subarray(offset);
    return frames;
  }
  checkLength(code, length) {
    if (this.untyped) {
      if (length < 8 || length > MAX_STARTUP_LENGTH) {
        throw new ProtocolError(
          `invalid startup packet length ${length} (expected 8 to ${MAX_STARTUP_LENGTH})`
        );
      }
      return;
    }
    if (length < 4 || length > this.maxLength) {
      const type = printableType(code);
      throw new ProtocolError(`invalid length ${length} for message type ${type}`);
    }
  }
};
function printableType(code) {
  return code >= 32 && code < 127 ? `'${String.fromCharCode(code)}'` : `0x${code.toString(16)}`;
}
function toBuffer(chunk) {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

// pg-proxy/socket-frames.ts
var SocketFrames = class {
  constructor(socket, reader = new FrameReader()) {
    this.socket = socket;
    this.reader = reader;
    socket.on("data", this.onData);
    socket.on("close", this.onClose);
    socket.on("error", this.onError);
  }
  socket;
  reader;
  frames = [];
  waiter;
  failure;
  onData = (chunk) => {
    try {
      this.frames.push(...this.reader.push(chunk));
    } catch (error) {
      this.fail(error);
      return;
    }
    this.wake();
  };
  onClose = () => this.fail(new Error("the connection closed"));
  onError = (error) => this.fail(error);
  next() {
    const frame = this.frames.shift();
    if (frame !== void 0) return Promise.resolve(frame);
    if (this.failure !== void 0) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
  /** Stops listening and returns the frames already read but not consumed. */
  detach() {
    this.socket.off("data", this.onData);
    this.socket.off("close", this.onClose);
    this.socket.off("error", this.onError);
    return this.frames.splice(0);
  }
  wake() {
    const waiter = this.waiter;
    const frame = this.frames[0];
    if (waiter === void 0 || frame === void 0) return;
    this.waiter = void 0;
    this.frames.shift();
    waiter.resolve(frame);
  }
  fail(error) {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = void 0;
    waiter?.reject(this.failure);
  }
};

// pg-proxy/upstream.ts
import { connect as netConnect, isIP } from "node:net";
import { connect as tlsConnect } from "node:tls";

// pg-proxy/auth/md5.ts
import { createHash as createHash2 } from "node:crypto";
function md5PasswordResponse(user, password, salt) {
  const inner = createHash2("md5").update(password + user, "utf8").digest("hex");
  return "md5" + createHash2("md5").update(Buffer.concat([Buffer.from(inner, "utf8"), salt])).digest("hex");
}

// pg-proxy/auth/scram-client.ts
import { randomBytes as randomBytes2 } from "node:crypto";
var ScramClient = class {
  constructor(password) {
    this.password = password;
  }
  password;
  clientNonce = randomBytes2(18).toString("base64");
  clientFirstBare = "";
  expectedServerSignature;
  /** The client-first message for SASLInitialResponse. */
  clientFirst() {
    this.clientFirstBare = `n=,r=${this.clientNonce}`;
    return Buffer.from(`n,,${this.clientFirstBare}`, "utf8");
  }
  /** Answers the server-first message (AuthenticationSASLContinue) with the client-final message. */
  clientFinal(serverFirstData) {
    const serverFirst = serverFirstData.toString("utf8");
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get("r");
    const salt = attrs.get("s");
    const iterations = Number(attrs.get("i"));
    if (nonce === void 0 || !nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw scramError("the server nonce does not extend the client nonce");
    }
    if (salt === void 0 || !Number.isInteger(iterations) || iterations < 1) {
      throw scramError("the server-first message lacks a salt or iteration count");
    }
    const salted = saltedPassword(this.password, Buffer.from(salt, "base64"), iterations);
    const clientKey = hmac(salted, "Client Key");
    const serverKey = hmac(salted, "Server Key");
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(sha256(clientKey), authMessage));
    this.expectedServerSignature = hmac(serverKey, authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`, "utf8");
  }
  /** Checks AuthenticationSASLFinal: a server that cannot prove it knows the password is not trusted. */
  verifyServerFinal(serverFinalData) {
    const attrs = parseAttributes(serverFinalData.toString("utf8"));
    const error = attrs.get("e");
    if (error !== void 0) throw scramError(`the server refused the login (${error})`);
    const signature = attrs.get("v");
    if (this.expectedServerSignature === void 0 || signature === void 0) {
      throw scramError("the server-final message came out of order or without a signature");
    }
    if (!safeEqual(Buffer.from(signature, "base64"), this.expectedServerSignature)) {
      throw scramError("the server signature does not match: the upstream may not be the server registered");
    }
  }
};
function scramError(why) {
  return new GuardError(
    "SERVER_UNREACHABLE",
    `guard pg proxy: SCRAM-SHA-256 login to the upstream database failed: ${why}; check the registered upstream password and host`
  );
}

// pg-proxy/auth/upstream-auth.ts
var UpstreamAuthenticator = class {
  constructor(user, password) {
    this.user = user;
    this.password = password;
  }
  user;
  password;
  scram;
  /** The method the server asked for, for the record and error messages. */
  method = "trust";
  /** The reply to one Authentication message, or undefined when nothing is to be sent (Ok, SASLFinal). */
  respond(code, data) {
    switch (code) {
      case AuthCode.Ok:
        return void 0;
      case AuthCode.CleartextPassword:
        this.method = "password";
        return encodePassword(this.requirePassword());
      case AuthCode.MD5Password:
        this.method = "md5";
        return encodePassword(md5PasswordResponse(this.user, this.requirePassword(), data.subarray(0, 4)));
      case AuthCode.SASL: {
        this.method = "scram-sha-256";
        const mechanisms = decodeSaslMechanisms(data);
        if (!mechanisms.includes(SCRAM_MECHANISM)) {
          throw new GuardError(
            "SERVER_UNREACHABLE",
            `guard pg proxy: the upstream offers only SASL mechanisms ${mechanisms.join(", ")}; guard speaks ${SCRAM_MECHANISM} (without channel binding); allow it in pg_hba.conf for this role`
          );
        }
        this.scram = new ScramClient(this.requirePassword());
        return encodeSaslInitial(SCRAM_MECHANISM, this.scram.clientFirst());
      }
      case AuthCode.SASLContinue:
        return encodeSaslResponse(this.requireScram().clientFinal(data));
      case AuthCode.SASLFinal:
        this.requireScram().verifyServerFinal(data);
        return void 0;
      default:
        throw new GuardError(
          "SERVER_UNREACHABLE",
          `guard pg proxy: the upstream asks for authentication method ${code} (Kerberos, GSSAPI or SSPI), which guard does not support; register a role that logs in with password, md5 or scram-sha-256`
        );
    }
  }
  requirePassword() {
    if (this.password === void 0) {
      throw new GuardError(
        "SERVER_UNREACHABLE",
        `guard pg proxy: the upstream asks user '${this.user}' for a password but none is registered; add the password to the registered connection`
      );
    }
    return this.password;
  }
  requireScram() {
    if (this.scram === void 0) {
      throw new GuardError(
        "SERVER_UNREACHABLE",
        "guard pg proxy: the upstream sent a SCRAM message out of order"
      );
    }
    return this.scram;
  }
};

// pg-proxy/upstream.ts
var PASSTHROUGH_PARAMS = /* @__PURE__ */ new Set([
  "application_name",
  "client_encoding",
  "datestyle",
  "timezone",
  "options",
  "extra_float_digits",
  "intervalstyle",
  "search_path",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "standard_conforming_strings"
]);
function passthroughParams(params) {
  const out = {};
  for (const [name, value] of Object.entries(params)) {
    if (PASSTHROUGH_PARAMS.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}
async function connectUpstream(config, clientParams = {}) {
  const timeoutMs = config.connectTimeoutMs ?? 1e4;
  let socket;
  let timer;
  const where = `${config.host}:${config.port}/${config.database} as ${config.user}`;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new GuardError(
          "SERVER_UNREACHABLE",
          `guard pg proxy: connecting to the upstream database ${where} took longer than ${timeoutMs} ms; check that it is reachable from the runner`
        )
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      timeout,
      (async () => {
        socket = await openSocket(config);
        const s = socket;
        return await login(s, config, clientParams, where);
      })()
    ]);
  } catch (error) {
    socket?.destroy();
    if (error instanceof GuardError) throw error;
    throw new GuardError(
      "SERVER_UNREACHABLE",
      `guard pg proxy: cannot connect to the upstream database ${where}: ${error.message}; check the registered host, port and TLS settings`,
      { cause: error }
    );
  } finally {
    clearTimeout(timer);
  }
}
async function openSocket(config) {
  const plain = await new Promise((resolve, reject) => {
    const s = netConnect({ host: config.host, port: config.port });
    s.setNoDelay(true);
    s.once("connect", () => {
      s.off("error", reject);
      resolve(s);
    });
    s.once("error", reject);
  });
  const mode = config.ssl?.mode ?? "disable";
  if (mode === "disable") return plain;
  plain.write(encodeSslRequest());
  const answer = await new Promise((resolve, reject) => {
    plain.once("data", (chunk) => {
      plain.off("error", reject);
      if (chunk.length !== 1) reject(new Error("unexpected bytes after the SSLRequest answer"));
      else resolve(chunk[0]);
    });
    plain.once("error", reject);
  });
  if (answer !== 83) {
    plain.destroy();
    throw new GuardError(
      "SERVER_UNREACHABLE",
      `guard pg proxy: the upstream database ${config.host}:${config.port} does not accept TLS but sslmode is ${mode}; enable ssl on the server or register the connection with sslmode disable`
    );
  }
  const verify = mode === "verify-full";
  return await new Promise((resolve, reject) => {
    const secure = tlsConnect({
      socket: plain,
      host: config.host,
      ...isIP(config.host) === 0 ? { servername: config.host } : {},
      ...config.ssl?.ca !== void 0 ? { ca: config.ssl.ca } : {},
      rejectUnauthorized: verify
    });
    secure.once("secureConnect", () => {
      secure.off("error", reject);
      resolve(secure);
    });
    secure.once("error", reject);
  });
}
async function login(socket, config, clientParams, where) {
  const frames = new SocketFrames(socket);
  socket.write(
    encodeStartup({ ...passthroughParams(clientParams), user: config.user, database: config.database })
  );
  const auth = new UpstreamAuthenticator(config.user, config.password);
  const parameters = [];
  let backendKey;
  try {
    while (true) {
      const frame = await frames.next();
      switch (frame.code) {
        case BackendCode.Authentication: {
          const { code, data } = decodeAuthentication(frame.payload);
          const reply = auth.respond(code, data);
          if (reply !== void 0) socket.write(reply);
          break;
        }
        case BackendCode.ParameterStatus: {
          const { name, value } = decodeParameterStatus(frame.payload);
          parameters.push([name, value]);
          break;
        }
        case BackendCode.BackendKeyData:
          backendKey = decodeBackendKeyData(frame.payload);
          break;
        case BackendCode.ErrorResponse: {
          const fields = decodeErrorFields(frame.payload);
          const message = fields.find(([t]) => t === ErrorField.Message)?.[1] ?? "unknown error";
          const sqlstate = fields.find(([t]) => t === ErrorField.Code)?.[1] ?? "?????";
          throw new GuardError(
            "SERVER_UNREACHABLE",
            `guard pg proxy: the upstream database ${where} refused the login (${sqlstate}: ${message}); check the registered credential`
          );
        }
        case BackendCode.ReadyForQuery:
          return {
            socket,
            reader: frames.reader,
            leftover: frames.detach(),
            parameters,
            backendKey,
            authMethod: auth.method,
            tls: config.ssl !== void 0 && config.ssl.mode !== "disable"
          };
        default:
          break;
      }
    }
  } catch (error) {
    frames.detach();
    throw error;
  }
}
function closeUpstream(connection) {
  if (!connection.socket.destroyed) connection.socket.end(encodeTerminate());
}

// pg-proxy/catalog.ts
var ColumnCatalog = class {
  constructor(connect) {
    this.connect = connect;
  }
  connect;
  connection;
  queue = Promise.resolve();
  /** table OID -> attnum -> identity; an empty map for an OID that is not a table (looked up, not found). */
  tables = /* @__PURE__ */ new Map();
  /** Whether every OID is already cached (the hot path checks this before awaiting anything). */
  knows(oids) {
    return oids.every((oid) => oid === 0 || this.tables.has(oid));
  }
  identity(tableOid, attnum) {
    return this.tables.get(tableOid)?.get(attnum);
  }
  async resolve(oids) {
    const missing = [...new Set(oids.filter((oid) => oid !== 0 && !this.tables.has(oid)))];
    if (missing.length === 0) return;
    const rows = await this.query(
      `SELECT a.attrelid::int8, a.attnum, n.nspname, c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND a.attrelid IN (${missing.map((o) => String(o >>> 0)).join(",")})`
    );
    for (const oid of missing) this.tables.set(oid, /* @__PURE__ */ new Map());
    for (const [oid, attnum, schema, table, column] of rows) {
      this.tables.get(Number(oid))?.set(Number(attnum), { schema, table, column });
    }
  }
  /** The result columns a SELECT would return, with their table columns where they come straight from one. */
  async describe(sql) {
    const fields = await this.serial(async () => {
      const { conn, frames } = await this.open();
      conn.socket.write(Buffer.concat([encodeParse("", sql), encodeDescribe("S", ""), encodeSync()]));
      let described = [];
      let failure;
      while (true) {
        const frame = await frames.next();
        if (frame.code === BackendCode.RowDescription) described = decodeRowDescription(frame.payload);
        else if (frame.code === BackendCode.ErrorResponse) failure = errorText(frame.payload);
        else if (frame.code === BackendCode.ReadyForQuery) break;
      }
      if (failure !== void 0) throw catalogError(`describing the exported columns failed: ${failure}`);
      return described;
    });
    await this.resolve(fields.map((f) => f.tableOid));
    return { fields, identities: fields.map((f) => this.identity(f.tableOid, f.attnum)) };
  }
  async close() {
    const pending = this.connection;
    this.connection = void 0;
    if (pending === void 0) return;
    try {
      closeUpstream((await pending).conn);
    } catch {
    }
  }
  async query(sql) {
    return this.serial(async () => {
      const { conn, frames } = await this.open();
      conn.socket.write(encodeQuery(sql));
      const rows = [];
      let failure;
      while (true) {
        const frame = await frames.next();
        if (frame.code === BackendCode.DataRow) {
          rows.push(decodeDataRow(frame.payload).map((v) => v === null ? null : v.toString("utf8")));
        } else if (frame.code === BackendCode.ErrorResponse) {
          failure = errorText(frame.payload);
        } else if (frame.code === BackendCode.ReadyForQuery) {
          break;
        }
      }
      if (failure !== void 0) throw catalogError(`the catalog lookup failed: ${failure}`);
      return rows;
    });
  }
  serial(work) {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => void 0);
    return run;
  }
  open() {
    this.connection ??= this.connect().then((conn) => {
      const frames = new SocketFrames(conn.socket, conn.reader);
      conn.socket.on("close", () => {
        this.connection = void 0;
      });
      return { conn, frames };
    });
    const pending = this.connection;
    pending.catch(() => {
      if (this.connection === pending) this.connection = void 0;
    });
    return pending;
  }
};
function errorText(payload) {
  const fields = decodeErrorFields(payload);
  const code = fields.find(([t]) => t === ErrorField.Code)?.[1] ?? "";
  return `${code} ${fields.find(([t]) => t === ErrorField.Message)?.[1] ?? ""}`.trim();
}
function catalogError(why) {
  return new GuardError(
    "SERVER_ERROR",
    `guard pg proxy: ${why}; the result is withheld rather than sent unmasked`
  );
}

// pg-proxy/masking/column-globs.ts
function compileColumnGlobs(globs) {
  const compiled = globs.map((glob) => {
    const parts = glob.split(".");
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.length === 0)) {
      throw new TypeError(
        `mask column '${glob}' must be table.column or schema.table.column (globs allowed)`
      );
    }
    const [a, b, c] = parts.map(partRegExp);
    return parts.length === 3 ? { schema: a, table: b, column: c } : { schema: void 0, table: a, column: b };
  });
  return {
    empty: compiled.length === 0,
    matches: (id) => compiled.some(
      (g) => (g.schema === void 0 || g.schema.test(id.schema)) && g.table.test(id.table) && g.column.test(id.column)
    ),
    matchesName: (column) => compiled.some((g) => g.column.test(column)),
    mayMatchTable: (schema, table) => compiled.some((g) => (g.schema === void 0 || g.schema.test(schema)) && g.table.test(table))
  };
}
function partRegExp(part) {
  const source = part.replace(/[.+^${}()|[\]\\/]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`, "is");
}

// pg-proxy/session.ts
import { randomInt } from "node:crypto";
import { connect as netConnect2 } from "node:net";

// pg-proxy/protocol/sqlstate.ts
var SqlState = {
  /** 42501: the statement is not permitted (policy block, approval denied). */
  InsufficientPrivilege: "42501",
  /** 28P01: the one-time step credential did not verify. */
  InvalidPassword: "28P01",
  /** 28000: the startup named a user the proxy does not serve. */
  InvalidAuthorizationSpecification: "28000",
  /** 08P01: the client sent bytes that are not a valid protocol message. */
  ProtocolViolation: "08P01",
  /** 0A000: a protocol feature the proxy does not support (replication, FunctionCall, ...). */
  FeatureNotSupported: "0A000",
  /** 08006: the upstream connection failed or dropped. */
  ConnectionFailure: "08006",
  /** 08001: the proxy could not reach or log in to the upstream server. */
  SqlclientUnableToEstablishSqlconnection: "08001",
  /** 3D000: the client asked for a database the credential does not open. */
  InvalidCatalogName: "3D000",
  /** 57014: the statement was cancelled (approval wait ended by the client or the proxy). */
  QueryCanceled: "57014",
  /** XX000: an internal failure in the proxy. */
  InternalError: "XX000"
};

// pg-proxy/client-login.ts
var ClientLogin = class {
  constructor(options) {
    this.options = options;
  }
  options;
  state = "startup";
  params = {};
  exchange;
  step(frame) {
    if (this.state === "startup") return this.startup(frame);
    if (frame.code !== FrontendCode.Password) {
      return fail(SqlState.ProtocolViolation, "guard pg proxy: expected a SASL response during login");
    }
    if (this.state === "sasl-initial") {
      const { mechanism, data } = decodeSaslInitial(frame.payload);
      if (mechanism !== SCRAM_MECHANISM) {
        return fail(
          SqlState.InvalidAuthorizationSpecification,
          `guard pg proxy: SASL mechanism ${mechanism} is not offered; use ${SCRAM_MECHANISM}`
        );
      }
      this.exchange = new ScramServerExchange(this.options.verifier);
      const first = this.exchange.serverFirstFor(data);
      if (!first.ok) return fail(SqlState.InvalidPassword, `guard pg proxy: ${first.reason}`);
      this.state = "sasl-final";
      return {
        kind: "continue",
        reply: encodeAuthentication(AuthCode.SASLContinue, first.reply),
        untyped: false
      };
    }
    const final = this.exchange.serverFinalFor(frame.payload);
    if (!final.ok) {
      return fail(
        SqlState.InvalidPassword,
        `guard pg proxy: password authentication failed for user "${this.options.user}"`,
        "the proxy accepts only the one-time credential of this step (PGUSER/PGPASSWORD as guard set them)"
      );
    }
    return {
      kind: "done",
      reply: Buffer.concat([encodeAuthentication(AuthCode.SASLFinal, final.reply), encodeAuthenticationOk()]),
      params: this.params
    };
  }
  startup(frame) {
    if (frame.code !== 0)
      return fail(SqlState.ProtocolViolation, "guard pg proxy: expected a startup message");
    const message = decodeStartup(frame.payload);
    switch (message.kind) {
      case "ssl":
      case "gssenc":
        return { kind: "continue", reply: Buffer.from("N"), untyped: true };
      case "cancel":
        return { kind: "cancel", pid: message.pid, secret: message.secret };
      case "startup":
        break;
    }
    if (message.version >> 16 !== StartupCode.ProtocolV3 >> 16) {
      return fail(
        SqlState.FeatureNotSupported,
        `guard pg proxy: protocol version ${message.version >> 16}.${message.version & 65535} is not supported; use 3.0`
      );
    }
    const { user, database, replication } = message.params;
    if (replication !== void 0 && replication !== "false" && replication !== "0" && replication !== "off") {
      return fail(
        SqlState.FeatureNotSupported,
        "guard pg proxy: replication connections are not supported through guard"
      );
    }
    if (user !== this.options.user) {
      return fail(
        SqlState.InvalidAuthorizationSpecification,
        `guard pg proxy: user "${user ?? ""}" is not this step's credential`,
        "connect with PGUSER and PGPASSWORD as guard set them for this step"
      );
    }
    if (database !== void 0 && database !== this.options.database && database !== user) {
      return fail(
        SqlState.InvalidCatalogName,
        `guard pg proxy: this step's credential opens database "${this.options.database}" only, not "${database}"`
      );
    }
    this.params = message.params;
    this.state = "sasl-initial";
    return { kind: "continue", reply: encodeSaslMechanisms([SCRAM_MECHANISM]), untyped: false };
  }
};
function fail(sqlstate, message, hint) {
  return { kind: "fail", reply: encodeFatal(sqlstate, message, void 0, hint), reason: message };
}

// pg-proxy/masking/error-scrub.ts
var KEY_VALUES = /(Key \((?:[^()]|\([^()]*\))*\))=\((?:[^()]|\([^()]*\))*\)/g;
var FAILING_ROW = /(Failing row contains )\((?:.|\n)*\)/g;
var MASKED_FIELDS = /* @__PURE__ */ new Set([
  ErrorField.Message,
  ErrorField.Detail,
  ErrorField.Hint,
  ErrorField.Where,
  ErrorField.InternalQuery
]);
function scrubErrorFields(fields, maskValue) {
  let changed = false;
  const out = fields.map(([type, value]) => {
    if (!MASKED_FIELDS.has(type)) return [type, value];
    let next = value.replace(KEY_VALUES, "$1=(***)").replace(FAILING_ROW, "$1(***)");
    if (maskValue !== void 0) next = maskValue(next);
    if (next !== value) changed = true;
    return [type, next];
  });
  return changed ? out : void 0;
}

// pg-proxy/masking/row-plan.ts
var COLUMN_MASK = "***";
var COLUMN_MASK_BYTES = Buffer.from(COLUMN_MASK, "utf8");
var ColumnAction = {
  Keep: 0,
  /** Replace the whole value: the column is masked by policy. */
  MaskColumn: 1,
  /** Run the masker over the text: secrets and personal data detected in the value. */
  MaskText: 2,
  /** jsonb in binary format: a version byte, then JSON text. */
  MaskJsonbBinary: 3
};
var PASS_THROUGH = { active: false, actions: [], refusal: void 0 };
var TEXT_LIKE = /* @__PURE__ */ new Set([25, 1043, 1042, 19, 114, 142, 705]);
var JSONB = 3802;
var VALUE_SAFE = /* @__PURE__ */ new Set([16, 21, 23, 26, 700, 701, 1082, 1083, 1114, 1184, 1186, 1266, 2950]);
function planRows(fields, identities, columns, valueMasking) {
  const actions = [];
  let active = false;
  let refusal;
  fields.forEach((field, i) => {
    const id = identities[i];
    const byName = columns.empty ? false : id !== void 0 ? columns.matches(id) : field.tableOid === 0 && columns.matchesName(field.name);
    let action = ColumnAction.Keep;
    if (byName) {
      if (field.format === 1 && !TEXT_LIKE.has(field.typeOid) && field.typeOid !== JSONB) {
        const where = id !== void 0 ? `${id.table}.${id.column}` : field.name;
        refusal ??= `column ${where} is masked by policy but was requested in binary format (type OID ${field.typeOid}); request text-format results for it`;
      }
      action = ColumnAction.MaskColumn;
    } else if (valueMasking) {
      if (field.format === 0 && !VALUE_SAFE.has(field.typeOid)) action = ColumnAction.MaskText;
      else if (field.format === 1 && TEXT_LIKE.has(field.typeOid)) action = ColumnAction.MaskText;
      else if (field.format === 1 && field.typeOid === JSONB) action = ColumnAction.MaskJsonbBinary;
    }
    if (action !== ColumnAction.Keep) active = true;
    actions.push(action);
  });
  return { active, actions, refusal };
}
function maskDataRow(payload, plan, maskValue) {
  const values = decodeDataRow(payload);
  let masked = 0;
  const out = values.map((value, i) => {
    const action = plan.actions[i] ?? ColumnAction.Keep;
    if (value === null || action === ColumnAction.Keep) return value;
    if (action === ColumnAction.MaskColumn) {
      masked++;
      return COLUMN_MASK_BYTES;
    }
    if (maskValue === void 0) return value;
    const prefix = action === ColumnAction.MaskJsonbBinary ? 1 : 0;
    const text = value.toString("utf8", prefix);
    const replaced = maskValue(text);
    if (replaced === text) return value;
    masked++;
    const body = Buffer.from(replaced, "utf8");
    return prefix === 0 ? body : Buffer.concat([value.subarray(0, 1), body]);
  });
  return masked === 0 ? void 0 : { message: encodeDataRow(out), masked };
}

// pg-proxy/masking/copy-mask.ts
function maskCopyRow(data, plan, maskValue) {
  if (plan.mode === "pass" || plan.mode === "refuse") return void 0;
  const row = data.toString("utf8");
  if (plan.mode === "value") {
    if (maskValue === void 0) return void 0;
    const out2 = maskValue(row);
    return out2 === row ? void 0 : { data: Buffer.from(out2, "utf8"), masked: 1 };
  }
  const newline = row.endsWith("\n") ? "\n" : "";
  const fields = (newline ? row.slice(0, -1) : row).split("	");
  let masked = 0;
  const out = fields.map((field, i) => {
    const action = plan.actions[i] ?? ColumnAction.MaskColumn;
    if (field === "\\N" || action === ColumnAction.Keep) return field;
    if (action === ColumnAction.MaskColumn) {
      masked++;
      return COLUMN_MASK;
    }
    const next = maskValue === void 0 ? field : maskValue(field);
    if (next !== field) masked++;
    return next;
  });
  return masked === 0 ? void 0 : { data: Buffer.from(out.join("	") + newline, "utf8"), masked };
}

// pg-proxy/sql/copy-statement.ts
function parseCopyStatement(text, tokens) {
  if (tokens[0]?.value !== "copy") return void 0;
  let k = 1;
  let source;
  const open = tokens[k];
  if (open?.type === "punct" && open.value === "(") {
    const close = tokens.findIndex((t, i) => i > k && t.type === "punct" && t.value === ")" && t.depth === 0);
    if (close < 0) return void 0;
    source = text.slice(open.end, tokens[close].start);
    k = close + 1;
  } else {
    const nameStart = tokens[k];
    while (tokens[k] !== void 0 && (tokens[k].type === "word" || tokens[k].type === "ident" || tokens[k].value === ".")) {
      if (tokens[k].type === "word" && (tokens[k].value === "to" || tokens[k].value === "from")) break;
      k++;
    }
    if (nameStart === void 0 || k === 1) return void 0;
    const table = text.slice(nameStart.start, tokens[k - 1].end);
    let columns = "*";
    if (tokens[k]?.type === "punct" && tokens[k].value === "(") {
      const close = tokens.findIndex(
        (t, i) => i > k && t.type === "punct" && t.value === ")" && t.depth === 0
      );
      if (close < 0) return void 0;
      columns = text.slice(tokens[k].end, tokens[close].start);
      k = close + 1;
    }
    source = `SELECT ${columns} FROM ${table}`;
  }
  const dir = tokens[k];
  if (dir?.type !== "word" || dir.value !== "to" && dir.value !== "from") return void 0;
  const where = tokens[k + 1];
  const client = where?.type === "word" && (where.value === "stdout" || where.value === "stdin");
  const rest = tokens.slice(k + 2);
  const words = rest.filter((t) => t.type === "word" || t.type === "string").map((t) => t.value.replace(/^'|'$/g, "").toLowerCase());
  const format = words.includes("binary") ? "binary" : words.includes("csv") ? "csv" : "text";
  return { direction: dir.value, client, source, format, customDelimiter: words.includes("delimiter") };
}

// pg-proxy/sql/mask-sql.ts
var SQL_MASK = "***";
var CONNINFO_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+)/gi;
var URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s']+:)([^@\s']+)(@)/gi;
function maskSqlSecrets(text, maskValue) {
  const tokens = tokenize(text);
  let out = "";
  let last = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== "string") continue;
    const prev = tokens[i - 1];
    let replacement;
    if (prev?.type === "word" && (prev.value === "password" || prev.value === "passwd" || prev.value === "secret")) {
      replacement = `'${SQL_MASK}'`;
    } else {
      const scrubbed = t.value.replace(CONNINFO_PASSWORD, `$1${SQL_MASK}`).replace(URL_PASSWORD, `$1${SQL_MASK}$3`);
      if (scrubbed !== t.value) replacement = scrubbed;
    }
    if (replacement !== void 0) {
      out += text.slice(last, t.start) + replacement;
      last = t.end;
    }
  }
  out += text.slice(last);
  return maskValue === void 0 ? out : maskValue(out);
}

// pg-proxy/statement-run.ts
var MAX_RECORDED_TEXT = 64 * 1024;
var MAX_RECORDED_PARAM = 1024;
function newRun(protocol, statement, text, decision, now) {
  return { protocol, statement, text, decision, startedAt: now, maskedValues: 0 };
}
function finishRun(run, connection, outcome, now, extra = {}) {
  const text = run.text.length > MAX_RECORDED_TEXT ? `${run.text.slice(0, MAX_RECORDED_TEXT)}... [cut]` : run.text;
  return {
    type: "sql.statement",
    connection,
    protocol: run.protocol,
    text,
    class: run.statement.class,
    tables: run.statement.tables,
    withoutWhere: run.statement.withoutWhere,
    decision: run.decision,
    ...run.approval !== void 0 ? { approval: run.approval } : {},
    ...run.params !== void 0 ? { params: run.params } : {},
    outcome,
    ...extra.tag !== void 0 ? { tag: extra.tag } : {},
    ...extra.rows !== void 0 ? { rows: extra.rows } : {},
    ...extra.error !== void 0 ? { error: extra.error } : {},
    maskedValues: run.maskedValues,
    durationMs: Math.round((now - run.startedAt) * 1e3) / 1e3
  };
}
function recordParams(params, formats, maskValue) {
  return params.map((value, i) => {
    if (value === null) return null;
    const format = formats.length === 1 ? formats[0] : formats[i];
    if (format === 1) return `<binary ${value.length} bytes>`;
    if (maskValue === void 0) return "***";
    const masked = maskValue(value.toString("utf8"));
    return masked.length > MAX_RECORDED_PARAM ? `${masked.slice(0, MAX_RECORDED_PARAM)}... [cut]` : masked;
  });
}

// pg-proxy/statement-judge.ts
var MAY_HOLD_SECRET = /passw|secret|:\/\//i;
function maskSql(text, maskValue) {
  if (MAY_HOLD_SECRET.test(text)) return maskSqlSecrets(text, maskValue);
  return maskValue === void 0 ? text : maskValue(text);
}
function judgeStatement(ctx, protocol, statement, signal, askApproval) {
  const { options } = ctx;
  const text = maskSql(statement.text, options.maskValue);
  const forPolicy = {
    class: statement.class,
    tables: statement.tables,
    withoutWhere: statement.withoutWhere,
    text
  };
  const decided = (decision) => afterDecision(ctx, protocol, statement, forPolicy, decision, signal, askApproval);
  let verdict;
  try {
    verdict = options.judge === void 0 ? ALLOW : options.judge(forPolicy);
  } catch (error) {
    return decided(policyFailure(error));
  }
  if (verdict instanceof Promise)
    return verdict.then(decided, (error) => decided(policyFailure(error)));
  return decided(verdict);
}
var ALLOW = { action: "allow" };
function policyFailure(error) {
  return { action: "block", reason: `the SQL policy could not be evaluated (${describeError(error)})` };
}
function afterDecision(ctx, protocol, statement, forPolicy, decision, signal, askApproval) {
  const { options } = ctx;
  const run = newRun(protocol, statement, forPolicy.text, decision, performance.now());
  const rule = decision.rule !== void 0 ? ` (${decision.rule})` : "";
  if (decision.action === "block") {
    return {
      run,
      refusal: {
        sqlstate: SqlState.InsufficientPrivilege,
        message: `guard: statement blocked by policy${rule}: ${decision.reason ?? "no reason given"}`,
        hint: "change the statement, or ask the platform team whether the policy should allow it"
      }
    };
  }
  if (decision.action === "require-approval") {
    const why = decision.reason !== void 0 ? `: ${decision.reason}` : "";
    if (options.requestApproval === void 0 || !askApproval) {
      return {
        run,
        refusal: {
          sqlstate: SqlState.InsufficientPrivilege,
          message: `guard: statement requires approval${rule}${why}; no approver is connected to this proxy`,
          hint: "run it in a guarded step (shell: guard --db NAME {0}) so a reviewer can approve it"
        }
      };
    }
    return approve(ctx, statement, forPolicy, run, signal, options.requestApproval);
  }
  if (statement.class === "copy" && ctx.masking) return withCopyPlan(ctx, statement, run);
  return { run };
}
async function approve(ctx, statement, forPolicy, run, signal, requestApproval) {
  try {
    run.approval = await requestApproval(forPolicy, signal);
  } catch (error) {
    run.approval = { approved: false, reason: `the approval request failed (${describeError(error)})` };
  }
  if (!run.approval.approved && signal.aborted) {
    return {
      run,
      refusal: {
        sqlstate: SqlState.QueryCanceled,
        message: "canceling statement due to user request (guard: the approval wait was cancelled)"
      }
    };
  }
  if (!run.approval.approved) {
    return {
      run,
      refusal: {
        sqlstate: SqlState.InsufficientPrivilege,
        message: `guard: approval for the statement was not granted${run.approval.reason !== void 0 ? `: ${run.approval.reason}` : ""}`
      }
    };
  }
  run.startedAt = performance.now();
  if (statement.class === "copy" && ctx.masking) return withCopyPlan(ctx, statement, run);
  return { run };
}
async function withCopyPlan(ctx, statement, run) {
  run.copy = await copyPlan(ctx, statement);
  if (run.copy.mode === "refuse") {
    return {
      run,
      refusal: { sqlstate: SqlState.InsufficientPrivilege, message: `guard: ${run.copy.reason}` }
    };
  }
  return { run };
}
async function copyPlan(ctx, statement) {
  const copy = parseCopyStatement(statement.text, tokenize(statement.text));
  if (copy === void 0) {
    return {
      mode: "refuse",
      reason: "this COPY statement could not be analysed, so its rows cannot be masked; it is refused"
    };
  }
  if (copy.direction === "from" || !copy.client) return { mode: "pass" };
  if (copy.format === "binary") {
    return {
      mode: "refuse",
      reason: "COPY ... TO STDOUT in binary format cannot be masked; use text or csv format"
    };
  }
  if (!ctx.columns.empty) {
    let described;
    try {
      described = await ctx.catalog.describe(copy.source);
    } catch (error) {
      return {
        mode: "refuse",
        reason: `the exported columns could not be checked against the masking policy (${describeError(error)})`
      };
    }
    const fields = described.fields.map((f) => ({ ...f, format: 0 }));
    const plan = planRows(fields, described.identities, ctx.columns, ctx.options.maskValue !== void 0);
    const maskedAt = plan.actions.findIndex((a) => a === ColumnAction.MaskColumn);
    if (maskedAt >= 0) {
      if (copy.format === "csv" || copy.customDelimiter) {
        const id = described.identities[maskedAt];
        const name = id !== void 0 ? `${id.table}.${id.column}` : described.fields[maskedAt]?.name ?? "?";
        return {
          mode: "refuse",
          reason: `COPY ... TO STDOUT exports column ${name}, which is masked by policy, in a format the proxy cannot cut into columns; use the default text format or leave the column out`
        };
      }
      return { mode: "columns", actions: plan.actions };
    }
  }
  return ctx.options.maskValue !== void 0 ? { mode: "value" } : { mode: "pass" };
}

// pg-proxy/session.ts
var REFUSAL_SQL = "GUARD REFUSED THIS STATEMENT";
var REFUSAL_NAME = "guard_refusal";
var UNKNOWN_STATEMENT = { text: "", class: "other", tables: [], withoutWhere: false };
var PgSession = class {
  constructor(client, ctx) {
    this.client = client;
    this.ctx = ctx;
    this.id = ctx.nextConnectionId();
    this.clientAddress = `${client.remoteAddress ?? "?"}:${client.remotePort ?? "?"}`;
    this.login = new ClientLogin({
      user: ctx.options.clientAuth.user,
      verifier: ctx.verifier,
      database: ctx.options.upstream.database
    });
    client.setNoDelay(true);
    client.on("data", (chunk) => this.onClientData(chunk));
    client.on("close", () => this.close("client closed the connection"));
    client.on("error", () => this.close("client connection error"));
  }
  client;
  ctx;
  id;
  phase = "login";
  clientReader = new FrameReader({ untypedFirst: true });
  login;
  upstream;
  clientFrames = [];
  clientIndex = 0;
  clientPumping = false;
  backendFrames = [];
  backendIndex = 0;
  backendBusy = false;
  toUpstream = [];
  toClient = [];
  expectations = [];
  prepared = /* @__PURE__ */ new Map();
  portals = /* @__PURE__ */ new Map();
  /** After guard refused a result mid-stream: drop the server's answers until ReadyForQuery. */
  swallowing = false;
  approvalAbort = new AbortController();
  statements = 0;
  openedAt = performance.now();
  key = { pid: randomInt(1, 2 ** 31 - 1), secret: randomInt(0, 2 ** 31 - 1) };
  pauses = /* @__PURE__ */ new Set();
  clientAddress;
  pendingEvents = [];
  /** Inside pumpClient or pumpBackend (they can nest: a close from inside a pump). */
  pumpDepth = 0;
  emitScheduled = false;
  /** A CancelRequest carrying this session's key: stop an approval wait and cancel the running query. */
  cancel() {
    this.approvalAbort.abort(new Error("the client cancelled the statement"));
    const key = this.upstream?.backendKey;
    if (key === void 0) return;
    const { host, port } = this.ctx.options.upstream;
    const s = netConnect2({ host, port }, () => s.end(encodeCancelRequest(key.pid, key.secret)));
    s.on("error", () => s.destroy());
  }
  close(reason) {
    if (this.phase === "closed") return;
    const wasReady = this.phase === "ready";
    this.phase = "closed";
    this.approvalAbort.abort(new Error(reason));
    this.ctx.cancelKeys.delete(`${this.key.pid}:${this.key.secret}`);
    if (this.upstream !== void 0) closeUpstream(this.upstream);
    if (!this.client.destroyed) this.client.end();
    for (const e of this.expectations.splice(0)) {
      if (e.kind === "execute")
        this.finish(e.run, "error", { error: { sqlstate: SqlState.ConnectionFailure, message: reason } });
      if (e.kind === "query") {
        for (const run of e.runs.slice(e.index))
          this.finish(run, "error", { error: { sqlstate: SqlState.ConnectionFailure, message: reason } });
      }
    }
    this.ctx.stats.open--;
    if (wasReady) {
      this.emit({
        type: "pg.connection.close",
        connection: this.id,
        statements: this.statements,
        durationMs: Math.round(performance.now() - this.openedAt),
        reason
      });
    }
  }
  // ---- client side
  onClientData(chunk) {
    if (this.phase === "closed") return;
    try {
      for (const frame of this.clientReader.push(chunk)) this.clientFrames.push(frame);
    } catch (error) {
      this.fail("client", error);
      return;
    }
    this.pumpClient();
  }
  /**
   * Handles the client's messages in order. Synchronous unless a message has to wait (an approval, an
   * async policy, a binary result's description): then the rest waits for it, and no promise is made
   * for the messages that do not.
   */
  pumpClient() {
    if (this.clientPumping) return;
    this.clientPumping = true;
    this.pumpDepth++;
    try {
      while (this.clientIndex < this.clientFrames.length && this.phase !== "closed") {
        const frame = this.clientFrames[this.clientIndex++];
        const pending = this.phase === "login" ? this.loginStep(frame) : this.onFrontend(frame);
        if (pending !== void 0) {
          this.flushUpstream();
          pending.then(
            () => {
              this.clientPumping = false;
              this.pumpClient();
            },
            (error) => {
              this.clientPumping = false;
              this.fail("client", error);
            }
          );
          return;
        }
      }
      this.clientFrames = [];
      this.clientIndex = 0;
      this.flushUpstream();
    } catch (error) {
      this.fail("client", error);
    } finally {
      this.leavePump();
    }
    this.clientPumping = false;
  }
  loginStep(frame) {
    const step = this.login.step(frame);
    switch (step.kind) {
      case "continue":
        this.client.write(step.reply);
        if (step.untyped) this.clientReader.expectUntyped(true);
        return void 0;
      case "cancel":
        this.client.destroy();
        this.ctx.cancelKeys.get(`${step.pid}:${step.secret}`)?.cancel();
        this.phase = "closed";
        this.ctx.stats.open--;
        return void 0;
      case "fail":
        this.ctx.stats.refused++;
        this.emit({
          type: "pg.auth-failed",
          connection: this.id,
          client: this.clientAddress,
          reason: step.reason
        });
        this.client.end(step.reply);
        this.close(step.reason);
        return void 0;
      case "done":
        this.client.write(step.reply);
        this.phase = "connecting";
        return this.connect(step.params);
    }
  }
  async connect(params) {
    let upstream;
    try {
      upstream = await connectUpstream(this.ctx.options.upstream, params);
    } catch (error) {
      const message = describeError(error);
      this.emit({ type: "pg.upstream-error", connection: this.id, message });
      this.client.end(encodeFatal(SqlState.SqlclientUnableToEstablishSqlconnection, message));
      this.close(message);
      return;
    }
    if (this.phase === "closed") {
      closeUpstream(upstream);
      return;
    }
    this.upstream = upstream;
    upstream.socket.setNoDelay(true);
    upstream.socket.on("data", (chunk) => this.onUpstreamData(chunk));
    upstream.socket.on("close", () => this.onUpstreamClosed());
    upstream.socket.on("error", () => void 0);
    const hello = upstream.parameters.map(([name, value]) => encodeParameterStatus(name, value));
    hello.push(
      encodeBackendKeyData(this.key.pid, this.key.secret),
      encodeReadyForQuery(TransactionStatus.Idle)
    );
    this.client.write(Buffer.concat(hello));
    this.ctx.cancelKeys.set(`${this.key.pid}:${this.key.secret}`, this);
    this.phase = "ready";
    this.emit({
      type: "pg.connection.open",
      connection: this.id,
      client: this.clientAddress,
      user: this.ctx.options.clientAuth.user,
      database: this.ctx.options.upstream.database,
      ...params.application_name !== void 0 ? { applicationName: params.application_name } : {},
      upstreamAuth: upstream.authMethod,
      upstreamTls: upstream.tls
    });
    if (upstream.leftover.length > 0) {
      this.backendFrames.push(...upstream.leftover);
      this.pumpBackend();
    }
  }
  onFrontend(frame) {
    switch (frame.code) {
      case FrontendCode.Query:
        return this.onQuery(frame);
      case FrontendCode.Parse:
        return this.onParse(frame);
      case FrontendCode.Bind:
        this.onBind(frame);
        return void 0;
      case FrontendCode.Describe: {
        const { target, name } = decodeTarget(frame.payload);
        const portal = target === "P" ? this.portals.get(name) : void 0;
        if (portal !== void 0) portal.describe = "pending";
        this.send(frame.raw, { kind: "describe", target, swallow: false, portal });
        return void 0;
      }
      case FrontendCode.Execute:
        return this.onExecute(frame);
      case FrontendCode.Close: {
        const { target, name } = decodeTarget(frame.payload);
        if (target === "S") this.prepared.delete(name);
        else this.portals.delete(name);
        this.send(frame.raw, { kind: "close" });
        return void 0;
      }
      case FrontendCode.Sync:
        this.send(frame.raw, { kind: "sync" });
        return void 0;
      case FrontendCode.Flush:
      case FrontendCode.CopyData:
      case FrontendCode.CopyDone:
      case FrontendCode.CopyFail:
        this.toUpstream.push(frame.raw);
        return void 0;
      case FrontendCode.Terminate:
        this.flushUpstream();
        this.close("client sent Terminate");
        return void 0;
      case FrontendCode.FunctionCall:
        this.refuseSimple({
          sqlstate: SqlState.FeatureNotSupported,
          message: "guard pg proxy: the fast-path FunctionCall message is not supported (it bypasses SQL policy)",
          hint: "call the function with SQL instead, e.g. SELECT lo_get(oid)"
        });
        return void 0;
      default:
        throw new ProtocolError(`unexpected message type ${describeCode(frame.code)} from the client`);
    }
  }
  onQuery(frame) {
    const judged = this.judgeAll("simple", this.ctx.analyze(decodeQuery(frame.payload)));
    if (judged instanceof Promise) return judged.then((j) => this.queryJudged(frame, j));
    this.queryJudged(frame, judged);
    return void 0;
  }
  queryJudged(frame, judged) {
    const refusal = judged.find((j) => j.refusal !== void 0)?.refusal;
    if (refusal !== void 0) {
      this.reportRefused(judged);
      this.refuseSimple(refusal);
      return;
    }
    const runs = judged.map((j) => j.run);
    if (runs[0] !== void 0) runs[0].startedAt = performance.now();
    this.send(frame.raw, { kind: "query", runs, index: 0 });
  }
  onParse(frame) {
    const { name, text } = decodeParse(frame.payload);
    const judged = this.judgeAll("extended", this.ctx.analyze(text));
    if (judged instanceof Promise) return judged.then((j) => this.parseJudged(frame, name, j));
    this.parseJudged(frame, name, judged);
    return void 0;
  }
  parseJudged(frame, name, judged) {
    const refusal = judged.find((j) => j.refusal !== void 0)?.refusal;
    if (refusal !== void 0) {
      this.reportRefused(judged);
      this.refuseExtended(refusal);
      return;
    }
    this.prepared.set(name, { runs: judged.map((j) => j.run) });
    this.send(frame.raw, { kind: "parse", name });
  }
  onBind(frame) {
    const bind = decodeBind(frame.payload);
    this.portals.set(bind.portal, {
      prepared: this.prepared.get(bind.statement),
      params: bind.params,
      paramFormats: bind.paramFormats,
      binary: bind.resultFormats.some((f) => f === 1),
      describe: "none",
      plan: void 0,
      waiters: []
    });
    this.send(frame.raw, { kind: "bind" });
  }
  onExecute(frame) {
    const { portal: name } = decodeExecute(frame.payload);
    const portal = this.portals.get(name);
    if (this.ctx.masking && portal !== void 0 && portal.describe === "none") {
      portal.describe = "pending";
      this.send(encodeDescribe("P", name), { kind: "describe", target: "P", swallow: true, portal });
    }
    if (this.ctx.masking && portal?.binary === true && portal.describe === "pending") {
      this.toUpstream.push(encodeFlush());
      return new Promise((resolve) => portal.waiters.push(resolve)).then(
        () => this.execute(frame, portal)
      );
    }
    this.execute(frame, portal);
    return void 0;
  }
  execute(frame, portal) {
    const template = portal?.prepared?.runs[0];
    const run = template !== void 0 ? { ...template, startedAt: performance.now(), maskedValues: 0 } : newRun("extended", UNKNOWN_STATEMENT, "", { action: "allow" }, performance.now());
    if (portal !== void 0 && portal.params.length > 0) {
      run.params = recordParams(portal.params, portal.paramFormats, this.ctx.options.maskValue);
    }
    const refusal = portal?.plan?.refusal;
    if (refusal !== void 0) {
      run.decision = { action: "block", reason: refusal };
      this.report(finishRun(run, this.id, "blocked", performance.now()));
      this.refuseExtended({ sqlstate: SqlState.FeatureNotSupported, message: `guard: ${refusal}` });
      return;
    }
    this.send(frame.raw, { kind: "execute", run, portal });
  }
  /** Judges each statement of a string; synchronous unless some judgement has to wait. */
  judgeAll(protocol, statements) {
    const judged = [];
    for (let i = 0; i < statements.length; i++) {
      const j = judgeStatement(
        this.ctx,
        protocol,
        statements[i],
        this.approvalAbort.signal,
        !refusedAny(judged)
      );
      if (j instanceof Promise) return this.judgeRest(protocol, statements, i, judged, j);
      judged.push(j);
    }
    return judged;
  }
  async judgeRest(protocol, statements, from, judged, pending) {
    judged.push(await pending);
    for (let i = from + 1; i < statements.length; i++) {
      judged.push(
        await judgeStatement(
          this.ctx,
          protocol,
          statements[i],
          this.approvalAbort.signal,
          !refusedAny(judged)
        )
      );
    }
    if (this.approvalAbort.signal.aborted) this.approvalAbort = new AbortController();
    return judged;
  }
  reportRefused(judged) {
    this.ctx.stats.blocked++;
    const now = performance.now();
    for (const j of judged)
      this.report(finishRun(j.run, this.id, j.refusal !== void 0 ? "blocked" : "not-run", now));
  }
  /** Makes the server fail a simple query where guard refused, and answers with guard's error instead. */
  refuseSimple(refusal) {
    this.send(encodeQuery(REFUSAL_SQL), {
      kind: "query",
      runs: [],
      index: 0,
      substitute: refusalMessage(refusal)
    });
  }
  /** The same inside an extended-protocol pipeline: the server then skips to Sync, as after any error. */
  refuseExtended(refusal) {
    this.send(encodeParse(REFUSAL_NAME, REFUSAL_SQL), {
      kind: "parse",
      name: REFUSAL_NAME,
      substitute: refusalMessage(refusal)
    });
  }
  send(message, expectation) {
    this.toUpstream.push(message);
    this.expectations.push(expectation);
  }
  flushUpstream() {
    if (this.toUpstream.length === 0 || this.upstream === void 0 || this.phase !== "ready") return;
    const data = this.toUpstream.length === 1 ? this.toUpstream[0] : Buffer.concat(this.toUpstream);
    this.toUpstream = [];
    if (!this.upstream.socket.write(data)) {
      this.client.pause();
      this.upstream.socket.once("drain", () => this.client.resume());
    }
  }
  // ---- upstream side
  onUpstreamData(chunk) {
    if (this.phase === "closed" || this.upstream === void 0) return;
    try {
      for (const frame of this.upstream.reader.push(chunk)) this.backendFrames.push(frame);
    } catch (error) {
      this.fail("upstream", error);
      return;
    }
    if (!this.backendBusy) this.pumpBackend();
  }
  pumpBackend() {
    this.pumpDepth++;
    try {
      while (this.backendIndex < this.backendFrames.length && this.phase === "ready") {
        const frame = this.backendFrames[this.backendIndex++];
        const pending = this.onBackend(frame);
        if (pending !== void 0) {
          this.flushClient();
          this.backendBusy = true;
          this.pause("catalog");
          pending.then(
            () => {
              this.backendBusy = false;
              this.resume("catalog");
              this.pumpBackend();
            },
            (error) => this.fail("upstream", error)
          );
          return;
        }
      }
      this.backendFrames = [];
      this.backendIndex = 0;
      this.flushClient();
    } catch (error) {
      this.fail("upstream", error);
    } finally {
      this.leavePump();
    }
  }
  onBackend(frame) {
    switch (frame.code) {
      case BackendCode.NoticeResponse: {
        const scrubbed = scrubErrorFields(decodeErrorFields(frame.payload), this.ctx.options.maskValue);
        this.forward(scrubbed === void 0 ? frame.raw : encodeNoticeFields(scrubbed));
        return void 0;
      }
      case BackendCode.ParameterStatus:
      case BackendCode.NotificationResponse:
        this.forward(frame.raw);
        return void 0;
      case BackendCode.ErrorResponse:
        this.onError(frame);
        return void 0;
      case BackendCode.ReadyForQuery:
        this.onReady(frame);
        return void 0;
    }
    const head = this.expectations[0];
    if (head === void 0)
      throw new ProtocolError(`unexpected message ${describeCode(frame.code)} from the upstream`);
    switch (head.kind) {
      case "query":
        return this.onQueryAnswer(head, frame);
      case "execute":
        return this.onExecuteAnswer(head, frame);
      case "describe":
        return this.onDescribeAnswer(head, frame);
      default: {
        const expected = {
          parse: BackendCode.ParseComplete,
          bind: BackendCode.BindComplete,
          close: BackendCode.CloseComplete,
          sync: -1
        }[head.kind];
        if (frame.code !== expected) {
          throw new ProtocolError(
            `message ${describeCode(frame.code)} arrived while guard expected the answer to ${head.kind}`
          );
        }
        this.expectations.shift();
        this.forward(frame.raw);
        return void 0;
      }
    }
  }
  onQueryAnswer(head, frame) {
    const run = head.runs[head.index];
    switch (frame.code) {
      case BackendCode.RowDescription:
        return this.withPlan(frame, (plan) => {
          if (run !== void 0) run.plan = plan;
          if (plan.refusal !== void 0) this.refuseMidStream(run, plan.refusal);
          else this.forward(frame.raw);
        });
      case BackendCode.CommandComplete:
        if (run !== void 0) {
          this.complete(run, frame);
          head.index++;
          const next = head.runs[head.index];
          if (next !== void 0) next.startedAt = performance.now();
        }
        this.forward(frame.raw);
        return void 0;
      default:
        this.onRowsOrCopy(run, frame);
        return void 0;
    }
  }
  onExecuteAnswer(head, frame) {
    const run = head.run;
    if (run.plan === void 0 && head.portal?.plan !== void 0) run.plan = head.portal.plan;
    switch (frame.code) {
      case BackendCode.CommandComplete:
        this.expectations.shift();
        this.complete(run, frame);
        this.forward(frame.raw);
        return void 0;
      case BackendCode.EmptyQueryResponse:
        this.expectations.shift();
        this.report(finishRun(run, this.id, "ok", performance.now()));
        this.forward(frame.raw);
        return void 0;
      case BackendCode.PortalSuspended:
        this.expectations.shift();
        this.report(finishRun(run, this.id, "suspended", performance.now()));
        this.forward(frame.raw);
        return void 0;
      default:
        this.onRowsOrCopy(run, frame);
        return void 0;
    }
  }
  onDescribeAnswer(head, frame) {
    const done = (plan) => {
      this.expectations.shift();
      if (head.portal !== void 0) {
        head.portal.plan = plan;
        head.portal.describe = "done";
        for (const wake of head.portal.waiters.splice(0)) wake();
      }
      if (!head.swallow) this.forward(frame.raw);
    };
    switch (frame.code) {
      case BackendCode.ParameterDescription:
        if (!head.swallow) this.forward(frame.raw);
        return void 0;
      case BackendCode.NoData:
        done(PASS_THROUGH);
        return void 0;
      case BackendCode.RowDescription:
        if (head.target === "S") {
          done(PASS_THROUGH);
          return void 0;
        }
        return this.withPlan(frame, done);
      default:
        throw new ProtocolError(`unexpected message ${describeCode(frame.code)} in answer to Describe`);
    }
  }
  /** DataRow and the COPY messages, shared by simple queries and Execute. */
  onRowsOrCopy(run, frame) {
    const { maskValue } = this.ctx.options;
    switch (frame.code) {
      case BackendCode.DataRow: {
        const plan = run?.plan;
        if (!this.ctx.masking) break;
        if (plan === void 0) {
          this.refuseMidStream(run, "rows arrived without a row description, so they cannot be masked");
          return;
        }
        if (!plan.active) break;
        const masked = maskDataRow(frame.payload, plan, maskValue);
        if (masked === void 0) break;
        run.maskedValues += masked.masked;
        this.ctx.stats.maskedValues += masked.masked;
        this.forward(masked.message);
        return;
      }
      case BackendCode.CopyOutResponse: {
        if (!this.ctx.masking) break;
        const { format } = decodeCopyResponse(frame.payload);
        if (run?.copy === void 0) {
          this.refuseMidStream(
            run,
            "a COPY export started that guard did not recognise, so its rows cannot be masked"
          );
          return;
        }
        if (format === 1 && run.copy.mode !== "pass") {
          this.refuseMidStream(run, "COPY in binary format cannot be masked; use text or csv format");
          return;
        }
        break;
      }
      case BackendCode.CopyData: {
        const plan = run?.copy;
        if (!this.ctx.masking || plan === void 0) break;
        const masked = maskCopyRow(frame.payload, plan, maskValue);
        if (masked === void 0) break;
        run.maskedValues += masked.masked;
        this.ctx.stats.maskedValues += masked.masked;
        this.forward(encodeCopyData(masked.data));
        return;
      }
      case BackendCode.CopyBothResponse:
        this.refuseMidStream(run, "replication (CopyBoth) is not supported through guard");
        return;
      default:
        break;
    }
    this.forward(frame.raw);
  }
  /** Plans masking for a RowDescription; resolves table OIDs through the catalog first when needed. */
  withPlan(frame, use) {
    if (!this.ctx.masking) {
      use(PASS_THROUGH);
      return void 0;
    }
    const fields = decodeRowDescription(frame.payload);
    const oids = this.ctx.columns.empty ? [] : fields.map((f) => f.tableOid);
    if (this.ctx.catalog.knows(oids)) {
      use(this.plan(fields));
      return void 0;
    }
    return this.ctx.catalog.resolve(oids).then(
      () => use(this.plan(fields)),
      (error) => use({ active: false, actions: [], refusal: describeError(error) })
    );
  }
  plan(fields) {
    const identities = this.ctx.columns.empty ? [] : fields.map((f) => this.ctx.catalog.identity(f.tableOid, f.attnum));
    return planRows(fields, identities, this.ctx.columns, this.ctx.options.maskValue !== void 0);
  }
  onError(frame) {
    const fields = decodeErrorFields(frame.payload);
    const scrubbed = scrubErrorFields(fields, this.ctx.options.maskValue);
    const final = scrubbed ?? fields;
    const error = {
      sqlstate: final.find(([t]) => t === ErrorField.Code)?.[1] ?? "",
      message: final.find(([t]) => t === ErrorField.Message)?.[1] ?? ""
    };
    const head = this.expectations[0];
    const substitute = head !== void 0 && "substitute" in head ? head.substitute : void 0;
    this.forward(substitute ?? (scrubbed === void 0 ? frame.raw : encodeErrorFields(scrubbed)));
    if (substitute === void 0) this.ctx.stats.errors++;
    if (head === void 0 || head.kind === "sync") {
      this.emit({ type: "pg.error", connection: this.id, ...error });
      return;
    }
    if (head.kind === "query") {
      const failed = head.runs[head.index];
      if (failed !== void 0) this.finish(failed, "error", { error });
      for (const run of head.runs.slice(head.index + 1)) this.finish(run, "not-run");
      head.index = head.runs.length;
      return;
    }
    while (this.expectations.length > 0 && this.expectations[0].kind !== "sync") {
      const skipped = this.expectations.shift();
      if (skipped.kind === "execute")
        this.finish(skipped.run, skipped === head ? "error" : "not-run", skipped === head ? { error } : {});
      if (skipped.kind === "describe" && skipped.portal !== void 0) {
        skipped.portal.describe = "none";
        for (const wake of skipped.portal.waiters.splice(0)) wake();
      }
      if (skipped.kind === "parse" && skipped === head && substitute === void 0)
        this.prepared.delete(skipped.name);
    }
  }
  onReady(frame) {
    const head = this.expectations.shift();
    if (head?.kind === "query") {
      for (const run of head.runs.slice(head.index)) this.finish(run, "not-run");
    } else if (head !== void 0 && head.kind !== "sync") {
      throw new ProtocolError(`ReadyForQuery arrived while guard expected the answer to ${head.kind}`);
    }
    this.swallowing = false;
    this.forward(frame.raw);
  }
  complete(run, frame) {
    const tag = decodeCommandComplete(frame.payload);
    const rows = rowsFromCommandTag(tag);
    const refused = run.decision.action === "block";
    this.finish(run, refused ? "blocked" : "ok", { tag, ...rows !== void 0 ? { rows } : {} });
  }
  /**
   * A result turned out to be unmaskable after the server started sending it: the client gets guard's
   * error instead of the rows, and nothing more until ReadyForQuery.
   */
  refuseMidStream(run, reason) {
    this.forward(encodeError(SqlState.InsufficientPrivilege, `guard: ${reason}`));
    this.swallowing = true;
    this.ctx.stats.blocked++;
    if (run !== void 0) run.decision = { action: "block", reason };
  }
  forward(message) {
    if (!this.swallowing) this.toClient.push(message);
  }
  flushClient() {
    if (this.toClient.length === 0) return;
    const data = this.toClient.length === 1 ? this.toClient[0] : Buffer.concat(this.toClient);
    this.toClient = [];
    if (!this.client.write(data)) {
      this.pause("client-full");
      this.client.once("drain", () => this.resume("client-full"));
    }
  }
  pause(why) {
    this.pauses.add(why);
    this.upstream?.socket.pause();
  }
  resume(why) {
    this.pauses.delete(why);
    if (this.pauses.size === 0) this.upstream?.socket.resume();
  }
  onUpstreamClosed() {
    if (this.phase !== "ready") return;
    const message = "guard pg proxy: the upstream database closed the connection";
    this.emit({ type: "pg.upstream-error", connection: this.id, message });
    this.flushClient();
    this.client.end(
      encodeFatal(
        SqlState.ConnectionFailure,
        message,
        void 0,
        "reconnect; if it repeats, check the database server"
      )
    );
    this.close(message);
  }
  fail(side, error) {
    if (this.phase === "closed") return;
    const protocol = error instanceof ProtocolError;
    const message = protocol ? `guard pg proxy: ${side === "client" ? "the client" : "the upstream database"} sent an invalid message: ${error.message}` : `guard pg proxy: internal error: ${describeError(error)}`;
    this.emit({ type: "pg.protocol-error", connection: this.id, side, message });
    this.toClient = [];
    this.client.end(encodeFatal(protocol ? SqlState.ProtocolViolation : SqlState.InternalError, message));
    this.close(message);
  }
  finish(run, outcome, extra = {}) {
    this.report(finishRun(run, this.id, outcome, performance.now(), extra));
  }
  report(event) {
    this.statements++;
    this.ctx.stats.statements++;
    this.emit(event);
  }
  /**
   * Events wait until the bytes of this round are on their way to the client and the server: recording
   * (hash-chaining, serialising) then never sits between a server's answer and the client. Events of a
   * pump leave when it ends, after its writes; others (a close from outside) on the next turn of the
   * event loop.
   */
  emit(event) {
    this.pendingEvents.push(event);
    if (this.pumpDepth === 0 && !this.emitScheduled) {
      this.emitScheduled = true;
      setImmediate(() => {
        this.emitScheduled = false;
        this.emitPending();
      });
    }
  }
  leavePump() {
    this.pumpDepth--;
    if (this.pumpDepth === 0 && this.pendingEvents.length > 0) this.emitPending();
  }
  emitPending() {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const event of events) this.ctx.emit(event);
  }
};
function refusedAny(judged) {
  return judged.some((j) => j.refusal !== void 0);
}
function refusalMessage(refusal) {
  return encodeError(refusal.sqlstate, refusal.message, void 0, refusal.hint);
}
function describeCode(code) {
  return code >= 32 && code < 127 ? `'${String.fromCharCode(code)}'` : `0x${code.toString(16)}`;
}

// pg-proxy/proxy.ts
var ANALYSIS_CACHE_SIZE = 1e3;
var ANALYSIS_CACHE_MAX_TEXT = 8192;
async function startPgProxy(options) {
  if (options.clientAuth.user === "" || options.clientAuth.password === "") {
    throw new TypeError("startPgProxy: clientAuth.user and clientAuth.password must be non-empty");
  }
  const columns = compileColumnGlobs(options.maskColumns ?? []);
  const stats = {
    open: 0,
    total: 0,
    refused: 0,
    statements: 0,
    blocked: 0,
    maskedValues: 0,
    errors: 0
  };
  const sessions = /* @__PURE__ */ new Set();
  const sockets = /* @__PURE__ */ new Set();
  let nextId = 0;
  const ctx = {
    options,
    verifier: createScramVerifier(options.clientAuth.password),
    catalog: new ColumnCatalog(
      () => connectUpstream(options.upstream, { application_name: "guard-catalog" })
    ),
    columns,
    masking: !columns.empty || options.maskValue !== void 0,
    stats,
    cancelKeys: /* @__PURE__ */ new Map(),
    emit: (event) => {
      try {
        options.onEvent?.(event, Date.now());
      } catch {
      }
    },
    nextConnectionId: () => ++nextId,
    analyze: createStatementAnalyzer(ANALYSIS_CACHE_SIZE, ANALYSIS_CACHE_MAX_TEXT)
  };
  const server = createServer((socket) => {
    stats.open++;
    stats.total++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    try {
      const session = new PgSession(socket, ctx);
      sessions.add(session);
      socket.on("close", () => sessions.delete(session));
    } catch {
      socket.destroy();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("startPgProxy: the listener has no TCP address");
  return {
    host: address.address,
    port: address.port,
    stats: () => ({
      connections: { open: stats.open, total: stats.total, refused: stats.refused },
      statements: stats.statements,
      blocked: stats.blocked,
      maskedValues: stats.maskedValues,
      errors: stats.errors
    }),
    close: async () => {
      const closed = new Promise((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close("the proxy is shutting down");
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      await ctx.catalog.close();
      await closed;
    }
  };
}

export {
  startPgProxy
};
