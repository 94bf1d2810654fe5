/**
 * When a token is renewed: `skewMs` before it expires, but never earlier than half its lifetime, so a
 * short-lived token (5 s) is not renewed on every call by a skew meant for hour-long ones. Without a
 * known lifetime (`obtainedAt` undefined) the whole skew applies.
 */
export function refreshAt(expiresAt: number, obtainedAt: number | undefined, skewMs: number): number {
  const skew = obtainedAt === undefined ? skewMs : Math.min(skewMs, Math.max(0, expiresAt - obtainedAt) / 2);
  return expiresAt - skew;
}
