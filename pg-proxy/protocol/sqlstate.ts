// The SQLSTATE codes guard answers with. Clients branch on these, so each refusal uses the class a
// PostgreSQL server itself would use for the same situation.

export const SqlState = {
  /** 42501: the statement is not permitted (policy block, approval denied). */
  InsufficientPrivilege: '42501',
  /** 28P01: the one-time step credential did not verify. */
  InvalidPassword: '28P01',
  /** 28000: the startup named a user the proxy does not serve. */
  InvalidAuthorizationSpecification: '28000',
  /** 08P01: the client sent bytes that are not a valid protocol message. */
  ProtocolViolation: '08P01',
  /** 0A000: a protocol feature the proxy does not support (replication, FunctionCall, ...). */
  FeatureNotSupported: '0A000',
  /** 08006: the upstream connection failed or dropped. */
  ConnectionFailure: '08006',
  /** 08001: the proxy could not reach or log in to the upstream server. */
  SqlclientUnableToEstablishSqlconnection: '08001',
  /** 3D000: the client asked for a database the credential does not open. */
  InvalidCatalogName: '3D000',
  /** 57014: the statement was cancelled (approval wait ended by the client or the proxy). */
  QueryCanceled: '57014',
  /** XX000: an internal failure in the proxy. */
  InternalError: 'XX000',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];
