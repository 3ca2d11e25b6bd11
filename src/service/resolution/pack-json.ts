// The resolution pack as JSON text, written in chunks so a pack of millions of customer statements never has
// to fit in one string: the header indented, then one customer statement per line in `customers`, last.

import type { PackCustomer, ResolutionPackDocument } from './resolution-pack.ts';
import type { ProgressListener } from './resolution-service.ts';

/** Roughly how many characters a chunk holds before it is handed out. */
export const PACK_CHUNK_CHARS = 1 << 20;

/** How many customers pass between two progress reports. */
export const PACK_PROGRESS_EVERY = 10_000;

/** The pack as JSON, chunk by chunk; `JSON.parse` of the joined chunks gives the document back. */
export function* packJsonChunks(
  pack: ResolutionPackDocument,
  onProgress?: ProgressListener,
): Generator<string> {
  const total = pack.summary.customers;
  let buffer = packJsonHead(pack);
  let done = 0;
  for (const customer of pack.customers) {
    buffer += customerJsonLine(customer, done === 0);
    done += 1;
    if (buffer.length >= PACK_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
    if (done % PACK_PROGRESS_EVERY === 0) onProgress?.({ phase: 'json', done, total });
  }
  onProgress?.({ phase: 'json', done, total });
  yield buffer + packJsonTail(done === 0);
}

/** The header indented, and the opening of the `customers` list (last in the document). */
export function packJsonHead(pack: ResolutionPackDocument): string {
  const { customers: _customers, ...header } = pack;
  // The header ends with "\n}": the customers list goes in before that brace.
  return `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "customers": [`;
}

/** One customer's line of the `customers` list. */
export function customerJsonLine(customer: PackCustomer, first: boolean): string {
  return `${first ? '\n    ' : ',\n    '}${customerJson(customer)}`;
}

/** The end of the document after the last customer (`empty`: there was none). */
export function packJsonTail(empty: boolean): string {
  return empty ? ']\n}\n' : '\n  ]\n}\n';
}

/**
 * One customer's statement as JSON, written out by hand because a pack holds millions: the same text
 * `JSON.stringify` gives (same keys, same order). Texts are quoted by `jsonText`; amounts are decimal
 * strings (digits, a point, a minus sign) that need no escaping.
 */
export function customerJson(customer: PackCustomer): string {
  let text = `{"customerId":${jsonText(customer.customerId)},"estates":[`;
  for (let at = 0; at < customer.estates.length; at++) {
    const line = customer.estates[at]!;
    text += `${at === 0 ? '' : ','}{"asset":${jsonText(line.asset)},"accountClass":${jsonText(line.accountClass)},"netEquity":"${line.netEquity}","claim":"${line.claim}","payout":"${line.payout}","unpaid":"${line.unpaid}","debt":"${line.debt}","recovered":"${line.recovered}","outstanding":"${line.outstanding}"}`;
  }
  text += '],"unsecured":[';
  for (let at = 0; at < customer.unsecured.length; at++) {
    const claim = customer.unsecured[at]!;
    text += `${at === 0 ? '' : ','}{"asset":${jsonText(claim.asset)},"amount":"${claim.amount}"}`;
  }
  return `${text}]}`;
}

/** A text as a JSON string: printable ASCII without quotes or backslashes (every id) as is, else JSON.stringify. */
function jsonText(value: string): string {
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}
