// Recognises OKX's proof files by their shape, so the verifier can dispatch on them: OKX's files carry no
// format marker, while Ringfence's own files carry a `format` field starting with "ringfence-".

import { isJsonObject } from './okx-json.ts';
import { OKX_MERKLE_V1_FORMAT } from './okx-merkle-proof.ts';
import { OKX_USER_INFO_V2_FORMAT } from './okx-user-info.ts';

/** The OKX JSON files this folder verifies. */
export type OkxJsonFormat = typeof OKX_MERKLE_V1_FORMAT | typeof OKX_USER_INFO_V2_FORMAT;

/**
 * Which OKX JSON file `json` is (v1 Merkle proof: `self` and `path`; v2 user info: `hash`, `nodes`, `nonce`,
 * `totalBalances`), or null. Only the top-level shape is looked at, so a damaged OKX file still dispatches to
 * its verifier and gets a precise `okx_proof_malformed`; any object with a `format` field is not OKX's.
 */
export function detectOkxFormat(json: unknown): OkxJsonFormat | null {
  if (!isJsonObject(json) || 'format' in json) return null;
  if ('self' in json && 'path' in json) return OKX_MERKLE_V1_FORMAT;
  if ('hash' in json && 'nodes' in json && 'nonce' in json && 'totalBalances' in json) {
    return OKX_USER_INFO_V2_FORMAT;
  }
  return null;
}

/** True when `text` starts like an OKX v2 full liability tree file: `hash,height,{"BTC":…`. */
export function isOkxLiabilityTreeText(text: string): boolean {
  return /^[0-9a-f]{64},[1-9][0-9]?,\{"BTC":"/.test(text.slice(0, 100));
}
