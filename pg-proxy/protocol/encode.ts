// Encoders for the messages the proxy itself writes, to the client (backend messages) and to the upstream
// server (frontend messages). Each call returns a fresh Buffer.

import { MessageBuilder } from './message-builder.js';
import { AuthCode, BackendCode, ErrorField, FrontendCode, StartupCode } from './message-codes.js';
import type { ErrorFields } from './decode.js';

// ---- frontend (proxy -> upstream server)

export function encodeStartup(params: Readonly<Record<string, string>>): Buffer {
  const b = new MessageBuilder().int32(StartupCode.ProtocolV3);
  for (const [name, value] of Object.entries(params)) b.cstring(name).cstring(value);
  return b.int8(0).build();
}

export function encodeSslRequest(): Buffer {
  return new MessageBuilder().int32(StartupCode.SSLRequest).build();
}

export function encodeCancelRequest(pid: number, secret: number): Buffer {
  return new MessageBuilder().int32(StartupCode.CancelRequest).int32(pid).int32(secret).build();
}

export function encodePassword(password: string): Buffer {
  return new MessageBuilder().cstring(password).build(FrontendCode.Password);
}

export function encodeSaslInitial(mechanism: string, data: Uint8Array): Buffer {
  return new MessageBuilder().cstring(mechanism).int32(data.length).bytes(data).build(FrontendCode.Password);
}

export function encodeSaslResponse(data: Uint8Array): Buffer {
  return new MessageBuilder().bytes(data).build(FrontendCode.Password);
}

export function encodeQuery(text: string): Buffer {
  return new MessageBuilder().cstring(text).build(FrontendCode.Query);
}

export function encodeParse(name: string, text: string, paramTypes: readonly number[] = []): Buffer {
  const b = new MessageBuilder().cstring(name).cstring(text).int16(paramTypes.length);
  for (const oid of paramTypes) b.uint32(oid);
  return b.build(FrontendCode.Parse);
}

export function encodeDescribe(target: 'S' | 'P', name: string): Buffer {
  return new MessageBuilder().int8(target.charCodeAt(0)).cstring(name).build(FrontendCode.Describe);
}

export function encodeFlush(): Buffer {
  return new MessageBuilder().build(FrontendCode.Flush);
}

export function encodeSync(): Buffer {
  return new MessageBuilder().build(FrontendCode.Sync);
}

export function encodeTerminate(): Buffer {
  return new MessageBuilder().build(FrontendCode.Terminate);
}

// ---- backend (proxy -> client)

export function encodeAuthentication(code: number, data?: Uint8Array): Buffer {
  const b = new MessageBuilder().int32(code);
  if (data !== undefined) b.bytes(data);
  return b.build(BackendCode.Authentication);
}

export function encodeAuthenticationOk(): Buffer {
  return encodeAuthentication(AuthCode.Ok);
}

export function encodeSaslMechanisms(mechanisms: readonly string[]): Buffer {
  const b = new MessageBuilder().int32(AuthCode.SASL);
  for (const m of mechanisms) b.cstring(m);
  return b.int8(0).build(BackendCode.Authentication);
}

export function encodeParameterStatus(name: string, value: string): Buffer {
  return new MessageBuilder().cstring(name).cstring(value).build(BackendCode.ParameterStatus);
}

export function encodeBackendKeyData(pid: number, secret: number): Buffer {
  return new MessageBuilder().int32(pid).int32(secret).build(BackendCode.BackendKeyData);
}

export function encodeReadyForQuery(status: number): Buffer {
  return new MessageBuilder().int8(status).build(BackendCode.ReadyForQuery);
}

export function encodeCommandComplete(tag: string): Buffer {
  return new MessageBuilder().cstring(tag).build(BackendCode.CommandComplete);
}

function encodeFields(code: number, fields: ErrorFields): Buffer {
  const b = new MessageBuilder();
  for (const [type, value] of fields) b.int8(type).cstring(value);
  return b.int8(0).build(code);
}

export function encodeErrorFields(fields: ErrorFields): Buffer {
  return encodeFields(BackendCode.ErrorResponse, fields);
}

export function encodeNoticeFields(fields: ErrorFields): Buffer {
  return encodeFields(BackendCode.NoticeResponse, fields);
}

/** An ERROR-severity ErrorResponse from guard itself. */
export function encodeError(sqlstate: string, message: string, detail?: string, hint?: string): Buffer {
  return encodeErrorFields(errorFields('ERROR', sqlstate, message, detail, hint));
}

/** A FATAL ErrorResponse: the connection closes after it. */
export function encodeFatal(sqlstate: string, message: string, detail?: string, hint?: string): Buffer {
  return encodeErrorFields(errorFields('FATAL', sqlstate, message, detail, hint));
}

function errorFields(
  severity: string,
  sqlstate: string,
  message: string,
  detail?: string,
  hint?: string,
): ErrorFields {
  const fields: [number, string][] = [
    [ErrorField.Severity, severity],
    [ErrorField.SeverityNonLocalized, severity],
    [ErrorField.Code, sqlstate],
    [ErrorField.Message, message],
  ];
  if (detail !== undefined) fields.push([ErrorField.Detail, detail]);
  if (hint !== undefined) fields.push([ErrorField.Hint, hint]);
  return fields;
}

/** A DataRow from column values (null for SQL NULL); lengths are computed from the values given. */
export function encodeDataRow(values: readonly (Uint8Array | null)[]): Buffer {
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

export function encodeCopyData(data: Uint8Array): Buffer {
  return new MessageBuilder().bytes(data).build(BackendCode.CopyData);
}
