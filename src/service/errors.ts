// Infrastructure failures of the service layer: one class each, with a short message and the cause.

/** The journal in storage does not replay: the service refuses to start on books it cannot trust. */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** A durable commit failed; the in-memory state may be ahead of storage, so the writer stops. */
export class WriterStoppedError extends Error {
  override readonly name = 'WriterStoppedError';
  constructor(options?: { cause?: unknown }) {
    super('the ledger writer stopped after a storage failure; restart the service', options);
  }
}
