// Shape checks for parsed JSON that the OKX file readers share: objects and the nonce strings OKX prepends to
// leaf preimages.

/** Longest nonce accepted; OKX's are 64 hex digits. */
export const OKX_NONCE_CHARS_MAX = 256;

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A nonce as OKX writes one: a string of 1 to OKX_NONCE_CHARS_MAX characters. */
export function isOkxNonce(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= OKX_NONCE_CHARS_MAX;
}
