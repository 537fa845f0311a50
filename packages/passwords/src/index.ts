/**
 * @packageDocumentation
 * Dovecot-compatible `{SCHEME}` password hashing and verification, plus the credentials the SASL
 * challenge-response mechanisms need (CRAM-MD5, APOP, SCRAM-SHA-1, SCRAM-SHA-256).
 */
export { verifyPassword, type VerifyPasswordOptions } from './verify-password.js';
export { hashPassword, type HashPasswordOptions } from './hash-password.js';
export { parseStoredPassword, DEFAULT_PASS_SCHEME, type StoredPassword } from './stored-password.js';
export { supportedSchemes } from './scheme-registry.js';
export { PasswordSchemeError } from './password-scheme-error.js';
export { MAX_PASSWORD_BYTES } from './password-bytes.js';
export type { PasswordEncoding } from './raw-encoding.js';
export type { GenerateParams } from './scheme.js';
export { closePasswordWorkers } from './worker-pool.js';
export { passwordCryptBackend, type PasswordCryptBackend } from './native-crypt.js';
export { plaintextFor } from './sasl/plaintext.js';
export { cramMd5Secret, cramMd5Digest, verifyCramMd5, CRAM_MD5_CONTEXT_LENGTH } from './sasl/cram-md5-secret.js';
export {
  scramCredentials,
  type ScramCredentials,
  type ScramCredentialsOptions,
  type ScramHash,
} from './sasl/scram-credentials.js';
export { canServe, type SaslMechanism } from './sasl/can-serve.js';
export type { SaslLookupOptions } from './sasl/sasl-lookup-options.js';
