// The resolution pack as JSON text, written in chunks so a pack of millions of customer statements never has
// to fit in one string: the header indented, then one customer statement per line in `customers`, last.

import type { ResolutionPackDocument } from './resolution-pack.ts';
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
  const { customers, ...header } = pack;
  const total = header.summary.customers;
  const head = JSON.stringify(header, null, 2);
  // The header ends with "\n}": the customers list goes in before that brace.
  let buffer = `${head.slice(0, -2)},\n  "customers": [`;
  let done = 0;
  for (const customer of customers) {
    buffer += `${done === 0 ? '\n    ' : ',\n    '}${JSON.stringify(customer)}`;
    done += 1;
    if (buffer.length >= PACK_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
    if (done % PACK_PROGRESS_EVERY === 0) onProgress?.({ phase: 'json', done, total });
  }
  onProgress?.({ phase: 'json', done, total });
  yield `${buffer}${done === 0 ? ']\n}\n' : '\n  ]\n}\n'}`;
}
