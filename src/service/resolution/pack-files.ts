// Writes the resolution pack's three files (JSON, CSV, HTML report) in one pass over the customers: each
// statement is produced and formatted once and appended to every file it belongs in, which is what a pack of a
// million customers needs (the API streams one format at a time with the pack-json/csv/html generators).

import { closeSync, openSync, writeSync } from 'node:fs';
import { customerCsvClaims, customerCsvOwed, packCsvBeforeClaims, packCsvHeader } from './pack-csv.ts';
import { customerHtmlRows, PACK_HTML_CUSTOMERS_MAX, packHtmlHead, packHtmlTail } from './pack-html.ts';
import { customerJsonLine, PACK_PROGRESS_EVERY, packJsonHead, packJsonTail } from './pack-json.ts';
import type { ResolutionPackDocument } from './resolution-pack.ts';
import type { ProgressListener } from './resolution-service.ts';

/** Where each format goes; a format without a path is not written. */
export interface PackPaths {
  readonly json?: string;
  readonly csv?: string;
  readonly html?: string;
}

/** Bytes written per format. */
export interface PackBytes {
  readonly json: number;
  readonly csv: number;
  readonly html: number;
}

/** Bytes a file collects before they are written. */
const FILE_BUFFER_BYTES = 4 << 20;

/**
 * A file written through a byte buffer. Each piece of text (one customer's lines) is encoded into the buffer
 * as soon as it is made, while it is still young: text appended to a string would keep every small piece
 * alive as a rope node until the string is written, and a million customers' pieces would crowd the heap.
 */
class BufferedFile {
  readonly #descriptor: number | null;
  readonly #buffer: Buffer;
  #used = 0;
  bytes = 0;

  constructor(path: string | undefined) {
    this.#descriptor = path === undefined ? null : openSync(path, 'w');
    this.#buffer = Buffer.allocUnsafe(path === undefined ? 0 : FILE_BUFFER_BYTES);
  }

  get open(): boolean {
    return this.#descriptor !== null;
  }

  write(text: string): void {
    if (this.#descriptor === null || text.length === 0) return;
    // A UTF-16 code unit takes at most three UTF-8 bytes.
    if (this.#used + 3 * text.length > this.#buffer.length) this.flush();
    if (3 * text.length > this.#buffer.length) {
      this.bytes += writeSync(this.#descriptor, text);
      return;
    }
    this.#used += this.#buffer.write(text, this.#used, 'utf8');
  }

  /** Writes encoded bytes after what is buffered. */
  writeBytes(bytes: Buffer): void {
    if (this.#descriptor === null) return;
    this.flush();
    let written = 0;
    while (written < bytes.length)
      written += writeSync(this.#descriptor, bytes, written, bytes.length - written);
    this.bytes += bytes.length;
  }

  flush(): void {
    if (this.#descriptor === null || this.#used === 0) return;
    let written = 0;
    while (written < this.#used)
      written += writeSync(this.#descriptor, this.#buffer, written, this.#used - written);
    this.bytes += this.#used;
    this.#used = 0;
  }

  close(): void {
    this.flush();
    if (this.#descriptor !== null) closeSync(this.#descriptor);
  }
}

/** Text kept as encoded bytes for a later section (the unsecured claims come after every claim). */
class Spool {
  readonly #chunks: Buffer[] = [];
  #current = Buffer.allocUnsafe(FILE_BUFFER_BYTES);
  #used = 0;

  write(text: string): void {
    if (this.#used + 3 * text.length > this.#current.length) {
      this.#chunks.push(this.#current.subarray(0, this.#used));
      this.#current = Buffer.allocUnsafe(Math.max(FILE_BUFFER_BYTES, 3 * text.length));
      this.#used = 0;
    }
    this.#used += this.#current.write(text, this.#used, 'utf8');
  }

  /** The kept bytes, in order. */
  chunks(): Buffer[] {
    return [...this.#chunks, this.#current.subarray(0, this.#used)];
  }
}

/** Writes the pack's formats to `paths`, iterating the customers once; reports progress as phase `pack`. */
export function writePackFiles(
  pack: ResolutionPackDocument,
  paths: PackPaths,
  onProgress?: ProgressListener,
): PackBytes {
  const json = new BufferedFile(paths.json);
  const csv = new BufferedFile(paths.csv);
  const html = new BufferedFile(paths.html);
  try {
    json.write(packJsonHead(pack));
    csv.write(packCsvBeforeClaims(pack));
    html.write(packHtmlHead(pack));
    const owed = new Spool();
    const total = pack.summary.customers;
    let done = 0;
    for (const customer of pack.customers) {
      json.write(customerJsonLine(customer, done === 0));
      if (csv.open) {
        csv.write(customerCsvClaims(customer, true));
        if (customer.unsecured.length > 0) owed.write(customerCsvOwed(customer, true));
      }
      if (done < PACK_HTML_CUSTOMERS_MAX) html.write(customerHtmlRows(customer));
      done += 1;
      if (done % PACK_PROGRESS_EVERY === 0) onProgress?.({ phase: 'pack', done, total });
    }
    onProgress?.({ phase: 'pack', done, total });
    json.write(packJsonTail(done === 0));
    csv.write(packCsvHeader('unsecured_claims', true));
    for (const chunk of owed.chunks()) csv.writeBytes(chunk);
    html.write(packHtmlTail(pack));
  } finally {
    json.close();
    csv.close();
    html.close();
  }
  return { json: json.bytes, csv: csv.bytes, html: html.bytes };
}
