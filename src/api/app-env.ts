// The Hono environment every route shares: the authenticated caller, set by the auth middleware.

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiKeyRole } from '../store/store.ts';

/**
 * Who is calling: the key's role and, for customer keys, the one customer it speaks for. Officers approve
 * residual-interest withdrawals and set targets (only they may), compute and finalise segregation statements
 * and resolve breaks, and otherwise have no write access.
 */
export type Principal =
  | { readonly role: 'operator' | 'auditor' | 'officer'; readonly keyId: string; readonly customerId: null }
  | { readonly role: 'customer'; readonly keyId: string; readonly customerId: string };

/** Context variables of an authenticated request. */
export interface AppEnv {
  Variables: { principal: Principal };
}

/** The application type route modules register on. */
export type ApiApp = OpenAPIHono<AppEnv>;

/** Roles as the store names them. */
export type Role = ApiKeyRole;
