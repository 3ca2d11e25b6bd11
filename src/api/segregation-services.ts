// The segregation services the HTTP API can serve besides the ledger: the daily statement, reconciliation,
// the residual-interest gate and alerts. Without them the /v1/segregation routes answer 503
// `segregation_unavailable`; without a chain adapter the chain reconciliation answers 503 `chain_unavailable`.

import type { MiddlewareHandler } from 'hono';
import type { ChainAdapter } from '../chain/chain-adapter.ts';
import type { CustodyRejection } from '../core/custody/rejection.ts';
import type { SegregationService } from '../service/segregation/segregation-service.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';

/** Who may read the segregation records: everyone but customers. */
export const SEGREGATION_READERS = ['operator', 'auditor', 'officer'] as const;

/** What `createApp` and `startServer` take to serve the segregation routes. */
export interface SegregationApiServices {
  readonly service: SegregationService;
  /** The chain the customer vaults are read from for reconciliation; null when the process watches none. */
  readonly chain: ChainAdapter | null;
  /** The firm named on the printable statement and on regulator notices. */
  readonly firmName: string;
  /** The clock views age breaks and stamp documents with; defaults to `Date.now` (tests pass theirs). */
  readonly clock?: () => number;
}

/** Middleware answering 503 `segregation_unavailable` when the app was built without segregation services. */
export function requireSegregation(
  segregation: SegregationApiServices | undefined,
): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    if (segregation === undefined) {
      throw new ApiError('segregation_unavailable', 'this server runs without the segregation services');
    }
    await next();
  };
}

/** The segregation services; only call after `requireSegregation` let the request through. */
export function segregationOf(segregation: SegregationApiServices | undefined): SegregationApiServices {
  if (segregation === undefined) {
    throw new ApiError('segregation_unavailable', 'this server runs without the segregation services');
  }
  return segregation;
}

/** The chain adapter for a chain reconciliation, or 503 `chain_unavailable` when the server has none. */
export function chainOf(segregation: SegregationApiServices): ChainAdapter {
  if (segregation.chain === null) {
    throw new ApiError(
      'chain_unavailable',
      'this server reads no chain: reconcile against a custodian statement',
      {
        service: 'segregation',
      },
    );
  }
  return segregation.chain;
}

/** The current time by the services' clock. */
export function nowOf(segregation: SegregationApiServices): number {
  return (segregation.clock ?? Date.now)();
}

/** The success value of a segregation result; a rejection is thrown as an ApiError with its code and details. */
export function valueOrThrow<T>(
  result: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CustodyRejection },
): T {
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
  return result.value;
}
