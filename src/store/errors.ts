// The infrastructure failures of the storage layer: one class per failure, each with a short message,
// optional details and the underlying `cause`. Expected rejections never come from here; they are data.

export interface StoreErrorOptions {
  /** The underlying error (driver, file system), kept for logs and debugging. */
  readonly cause?: unknown;
  /** One line of context that would make the short message too long (a path, a table, a seq). */
  readonly details?: string;
}

/** Base class of every storage failure; `instanceof StoreError` catches them all. */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly details: string | null;

  constructor(message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? null;
  }
}

/** The database could not be opened or reached (bad path, server down, wrong URL). */
export class StoreOpenError extends StoreError {
  override name = 'StoreOpenError';
}

/** Creating or upgrading the schema failed; the database is left at the last migration that succeeded. */
export class StoreMigrationError extends StoreError {
  override name = 'StoreMigrationError';
}

/** A batch could not be made durable; nothing of it was written (the transaction rolled back). */
export class StoreCommitError extends StoreError {
  override name = 'StoreCommitError';
}

/** A read from the database failed. */
export class StoreReadError extends StoreError {
  override name = 'StoreReadError';
}

/** Writing outside the journal (api keys) failed, for example on a duplicate key. */
export class StoreWriteError extends StoreError {
  override name = 'StoreWriteError';
}

/**
 * Passes StoreErrors and assertion failures (engine bugs, which must crash, not be retried) through
 * untouched and wraps anything else with `wrap`.
 */
export function toStoreError(error: unknown, wrap: () => StoreError): Error {
  if (error instanceof StoreError) return error;
  if (error instanceof Error && error.name === 'AssertionError') return error;
  return wrap();
}
