// The infrastructure failures of the chain layer: one class per failure, each with a short message, optional
// details and the underlying `cause`. Expected rejections (a guard or Safe revert) are data, never these.

export interface ChainErrorOptions {
  /** The underlying error (transport, node, compiler), kept for logs and debugging. */
  readonly cause?: unknown;
  /** One line of context that would make the short message too long (a URL, a block, a file). */
  readonly details?: string;
}

/** Base class of every chain-layer failure; `instanceof ChainError` catches them all. */
export class ChainError extends Error {
  override name = 'ChainError';
  readonly details: string | null;

  constructor(message: string, options: ChainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? null;
  }
}

/** The node could not be reached (connection refused, timeout, local chain stopped or offline); retry later. */
export class ChainUnreachableError extends ChainError {
  override name = 'ChainUnreachableError';
}

/** The node answered a read with an error or with data that makes no sense (bad contract, bad block). */
export class ChainRequestError extends ChainError {
  override name = 'ChainRequestError';
}

/** Blocks the deposit watcher had treated as final were replaced: a reorg deeper than the confirmations. */
export class ChainReorgTooDeepError extends ChainError {
  override name = 'ChainReorgTooDeepError';
}

/** A transaction could not be sent or mined for a reason other than a known contract rejection. */
export class ChainTransactionError extends ChainError {
  override name = 'ChainTransactionError';
}

/** The Solidity sources did not compile, or the build folder could not be written. */
export class ContractBuildError extends ChainError {
  override name = 'ContractBuildError';
}

/** Errors viem raises when the node cannot be reached at all, as opposed to the node answering with an error. */
const UNREACHABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'HttpRequestError',
  'TimeoutError',
  'WebSocketRequestError',
  'SocketClosedError',
  'ProviderDisconnectedError',
  'ChainDisconnectedError',
]);

/** Socket-level error codes Node reports for a node that is down or unroutable. */
const UNREACHABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Whether `error`, or anything in its `cause` chain, says the node could not be reached. */
export function isChainUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; depth++) {
    if (current instanceof ChainUnreachableError || UNREACHABLE_ERROR_NAMES.has(current.name)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_ERROR_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Wraps a failed node request as ChainUnreachableError or ChainRequestError, passing ChainErrors and
 * assertion failures (bugs, which must crash, not be retried) through untouched.
 */
export function toChainError(error: unknown, message: string, details?: string): Error {
  if (error instanceof ChainError) return error;
  if (error instanceof Error && error.name === 'AssertionError') return error;
  const options = details === undefined ? { cause: error } : { cause: error, details };
  return isChainUnreachable(error)
    ? new ChainUnreachableError(`${message}: chain unreachable`, options)
    : new ChainRequestError(message, options);
}
