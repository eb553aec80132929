// A violation of the wire protocol by the peer: bad lengths, truncated fields, unknown codes. The proxy
// answers it with an ErrorResponse (SQLSTATE 08P01) and closes that one connection.

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
