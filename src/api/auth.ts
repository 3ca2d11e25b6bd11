// Bearer-key authentication and role checks: every /v1 route needs a known key, and each route names
// the roles it admits (operator: everything; auditor: reads and verify; customer: its own affairs; officer:
// the segregation controls: residual-interest approvals and targets, statements, break resolutions).

import type { MiddlewareHandler } from 'hono';
import { assert } from '../core/assert.ts';
import { authenticateApiKey } from '../service/api-keys.ts';
import type { LedgerStore } from '../store/store.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv, Principal, Role } from './app-env.ts';

const BEARER_PATTERN = /^Bearer +([^\s]+)$/i;

/** Middleware that resolves `Authorization: Bearer <secret>` to a principal, or answers 401 `unauthorized`. */
export function authenticate(store: LedgerStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = BEARER_PATTERN.exec(c.req.header('authorization') ?? '');
    if (match === null) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ApiError('unauthorized', 'send an API key as "Authorization: Bearer <secret>"');
    }
    const record = await authenticateApiKey(store, match[1]!);
    if (record === null) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ApiError('unauthorized', 'the API key is unknown');
    }
    let principal: Principal;
    if (record.role === 'customer') {
      assert(record.customerId !== null, 'customer keys name their customer');
      principal = { role: 'customer', keyId: record.id, customerId: record.customerId };
    } else {
      principal = { role: record.role, keyId: record.id, customerId: null };
    }
    c.set('principal', principal);
    await next();
  };
}

/** Route middleware admitting only the listed roles; others get 403 `forbidden_role`. */
export function allowRoles(...roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!roles.includes(principal.role)) {
      throw new ApiError('forbidden_role', `the ${principal.role} role may not call this route`, {
        role: principal.role,
      });
    }
    await next();
  };
}

/** The OpenAPI security requirement of every /v1 route. */
export const BEARER_SECURITY = [{ bearerAuth: [] }];
