/**
 * The port for values that must survive a restart but never be written in plain text (the full
 * import URI of a running import): sealed with a server key, opened by the same installation.
 * src/secrets.ts implements it with AES-256-GCM.
 *
 *   const sealed = box.seal(uri);   // store this
 *   const uri = box.open(sealed);   // throws if the key changed or the value was altered
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
