/**
 * Service-account JWTs (wire-contract.md section 15.1): compact JWS, PS256 only, `kid` = key
 * id, `iss` = service account id, `aud` = the IAM token URL as a string (node, python) or a
 * one-element array (go), `exp - iat <= 3600` (the SDKs send exactly 3600). Checked with
 * node:crypto; nothing here looks at storage.
 *
 *   const jwt = parseJwt(text);                    // throws JwtError
 *   checkClaims(jwt.payload, now);                 // throws JwtError
 *   if (!verifySignature(jwt, publicKeyPem)) ...;
 *   const text = signJwt({ keyId, serviceAccountId, privateKey }, now);   // what the SDK sends
 */
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const IAM_TOKEN_AUDIENCE = 'https://iam.api.cloud.yandex.net/iam/v1/tokens';
export const MAX_JWT_LIFETIME_S = 3600;
/** Allowed difference between the signer's clock and ours (node rounds `iat` to the second). */
export const CLOCK_SKEW_S = 60;

/** Why a JWT was refused; the message never contains the JWT. */
export class JwtError extends Error {
  override readonly name = 'JwtError';
}

export interface ParsedJwt {
  header: { alg: string; kid: string; typ?: string };
  payload: { iss: string; aud: unknown; iat: number; exp: number; nbf?: number; jti?: string };
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JwtError(`the ${what} is not a base64url JSON object`);
}

export function parseJwt(text: string): ParsedJwt {
  const parts = text.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) throw new JwtError('not a compact JWS (header.payload.signature)');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  const payload = decodeJson(p, 'payload');
  if (header['alg'] !== 'PS256') throw new JwtError('alg must be PS256');
  if (header['typ'] !== undefined && String(header['typ']).toUpperCase() !== 'JWT') throw new JwtError('typ must be JWT');
  // RFC 7515 section 4.1.11: we understand no extension, so any `crit` header is refused.
  if (header['crit'] !== undefined) throw new JwtError('crit names header extensions this server does not understand');
  if (typeof header['kid'] !== 'string' || header['kid'] === '') throw new JwtError('kid (the authorized key id) is missing');
  if (typeof payload['iss'] !== 'string' || payload['iss'] === '') throw new JwtError('iss (the service account id) is missing');
  for (const claim of ['iat', 'exp'] as const) {
    if (!Number.isInteger(payload[claim])) throw new JwtError(`${claim} must be an integer number of seconds`);
  }
  if (payload['nbf'] !== undefined && !Number.isInteger(payload['nbf'])) throw new JwtError('nbf must be an integer number of seconds');
  if (payload['jti'] !== undefined && (typeof payload['jti'] !== 'string' || payload['jti'] === '')) throw new JwtError('jti must be a non-empty string');
  return {
    header: header as ParsedJwt['header'],
    payload: payload as ParsedJwt['payload'],
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

export function checkClaims(payload: ParsedJwt['payload'], now: Date): void {
  const aud = payload.aud;
  const audOk = aud === IAM_TOKEN_AUDIENCE || (Array.isArray(aud) && aud.length === 1 && aud[0] === IAM_TOKEN_AUDIENCE);
  if (!audOk) throw new JwtError(`aud must be ${IAM_TOKEN_AUDIENCE}`);
  const t = Math.floor(now.getTime() / 1000);
  const { iat, exp, nbf } = payload;
  if (exp <= iat) throw new JwtError('exp must be after iat');
  if (exp - iat > MAX_JWT_LIFETIME_S) throw new JwtError(`exp - iat must not exceed ${MAX_JWT_LIFETIME_S} seconds`);
  if (iat > t + CLOCK_SKEW_S || (nbf !== undefined && nbf > t + CLOCK_SKEW_S)) throw new JwtError('the JWT is not valid yet (iat/nbf in the future)');
  if (exp <= t - CLOCK_SKEW_S) throw new JwtError('the JWT has expired');
}

/**
 * What identifies a JWT for replay detection: its `jti` within the issuer when it has one, else
 * the signed text and the signature bytes (the official SDKs send no `jti`; PSS signatures are
 * salted, so two JWTs signed in the same second still differ). Decoded signature bytes, not
 * their text, so that a second base64url spelling of the same signature is the same JWT.
 */
export function replayKey(jwt: ParsedJwt): string {
  const id = jwt.payload.jti !== undefined
    ? `jti\0${jwt.payload.iss}\0${jwt.payload.jti}`
    : `jws\0${jwt.signingInput}\0${jwt.signature.toString('base64url')}`;
  return createHash('sha256').update(id).digest('hex');
}

/** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 section 3.5). */
export function verifySignature(jwt: ParsedJwt, publicKey: string | KeyObject): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    return verify('sha256', Buffer.from(jwt.signingInput), {
      key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32,
    }, jwt.signature);
  } catch {
    return false;
  }
}

export interface SigningKey {
  keyId: string;
  serviceAccountId: string;
  /** PKCS#8 PEM; a marker line before `-----BEGIN` is fine (OpenSSL skips it). */
  privateKey: string;
}

/** Signs a JWT the way the official SDKs do (used by `clouddesk iam token`). */
export function signJwt(k: SigningKey, now: Date, lifetimeS = MAX_JWT_LIFETIME_S): string {
  const iat = Math.round(now.getTime() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'PS256', typ: 'JWT', kid: k.keyId })}.${enc({
    iss: k.serviceAccountId, aud: IAM_TOKEN_AUDIENCE, iat, exp: iat + lifetimeS,
  })}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: createPrivateKey(k.privateKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32,
  });
  return `${input}.${signature.toString('base64url')}`;
}
