/**
 * URLs as they may be stored and audited: every query parameter keeps its name and loses its
 * value, userinfo is dropped and so is the fragment. Pre-signed URLs carry their credentials in
 * the query string (X-Amz-Signature, sig, token...), so this is how an import `uri` is recorded.
 *
 *   redactUrl('https://s3.example.com/a.qcow2?X-Amz-Signature=abc&x=1')
 *   // → 'https://s3.example.com/a.qcow2?X-Amz-Signature=REDACTED&x=REDACTED'
 */
export const REDACTED = 'REDACTED';

export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url.includes('?') || url.includes('@') ? REDACTED : url;
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.hash = '';
  const names = [...u.searchParams.keys()];
  u.search = '';
  for (const name of names) u.searchParams.append(name, REDACTED);
  return u.href;
}

/** Whether a string is an absolute URL with something to redact. */
export function needsRedaction(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && URL.canParse(value) && redactUrl(value) !== new URL(value).href;
}
