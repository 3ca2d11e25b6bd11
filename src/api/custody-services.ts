// The custody services the HTTP API can serve besides the ledger: the withdrawal flow (signers, policies,
// allowlists, requests) and, when a chain is watched, deposit crediting. Without them the custody routes
// answer 503 `custody_unavailable`; everything else works as before.

import type { MiddlewareHandler } from 'hono';
import type { DepositCrediting } from '../service/custody/deposit-crediting.ts';
import type { WithdrawalService } from '../service/custody/withdrawal-service.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';

/** What `createApp` and `startServer` take to serve the custody routes. */
export interface CustodyApiServices {
  readonly withdrawals: WithdrawalService;
  /** Deposit crediting, when the process watches a chain; the deposit routes need it. */
  readonly deposits?: DepositCrediting;
}

/** Middleware answering 503 `custody_unavailable` when the app was built without custody services. */
export function requireCustody(
  custody: CustodyApiServices | undefined,
  service: 'withdrawals' | 'deposits' = 'withdrawals',
): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    const available = service === 'withdrawals' ? custody !== undefined : custody?.deposits !== undefined;
    if (!available) {
      throw new ApiError(
        'custody_unavailable',
        service === 'withdrawals'
          ? 'this server runs without custody services'
          : 'this server runs without deposit crediting',
        { service },
      );
    }
    await next();
  };
}

/** The withdrawal service; only call after `requireCustody` let the request through. */
export function withdrawalsOf(custody: CustodyApiServices | undefined): WithdrawalService {
  if (custody === undefined)
    throw new ApiError('custody_unavailable', 'this server runs without custody services');
  return custody.withdrawals;
}

/** Deposit crediting; only call after `requireCustody(custody, 'deposits')` let the request through. */
export function depositsOf(custody: CustodyApiServices | undefined): DepositCrediting {
  const deposits = custody?.deposits;
  if (deposits === undefined) {
    throw new ApiError('custody_unavailable', 'this server runs without deposit crediting', {
      service: 'deposits',
    });
  }
  return deposits;
}
