// Signs bundles as a participant's app does (Ed25519 over the bundle's canonical JSON: no
// `signature` member, keys sorted, compact), so tests can publish as other browsers would, and
// forge as Mallory would.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';

/** The DER prefix of an Ed25519 private key in PKCS #8, before its 32-byte seed. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A deterministic key per name: the same author signs with the same key in every test. */
export function keyOf(name) {
  const seed = createHash('sha256').update(`networkshop-e2e:${name}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey).export({ format: 'jwk' }).x;
  return { privateKey, publicKey };
}

export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The bundle with its `signature` member, signed by `key` (default: its author's own key). */
export function signBundle(bundle, key = keyOf(bundle.author.id)) {
  const { signature: _dropped, ...unsigned } = bundle;
  const value = sign(null, Buffer.from(canonical(unsigned), 'utf8'), key.privateKey).toString('base64url');
  return { ...unsigned, signature: { algorithm: 'ed25519', public_key: key.publicKey, value } };
}
