// The HTTP application: authentication, the routes, the OpenAPI 3.1 document and the translation of
// every failure into the error envelope. Tests drive it in-process with `app.request`.

import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { LedgerService } from '../service/ledger-service.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import { authenticate } from './auth.ts';
import type { CustodyApiServices } from './custody-services.ts';
import { renderError } from './render-error.ts';
import { registerAccountClassRoutes } from './routes/account-class-routes.ts';
import { registerAccountRoutes } from './routes/account-routes.ts';
import { registerAssetRoutes } from './routes/asset-routes.ts';
import { registerBalanceRoutes } from './routes/balance-routes.ts';
import { registerCustodySetupRoutes } from './routes/custody-setup-routes.ts';
import { registerCustomerRoutes } from './routes/customer-routes.ts';
import { registerDepositRoutes } from './routes/deposit-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerHoldRoutes } from './routes/hold-routes.ts';
import { registerHotWalletRoutes } from './routes/hot-wallet-routes.ts';
import { registerJournalRoutes } from './routes/journal-routes.ts';
import { registerPoolRoutes } from './routes/pool-routes.ts';
import { type ReservesApiServices, registerReservesRoutes } from './routes/reserves-routes.ts';
import { type ResolutionApiServices, registerResolutionRoutes } from './routes/resolution-routes.ts';
import { registerSegregationRoutes } from './routes/segregation-routes.ts';
import { registerTransferRoutes } from './routes/transfer-routes.ts';
import { registerVaultRoutes } from './routes/vault-routes.ts';
import { registerWithdrawalRoutes } from './routes/withdrawal-routes.ts';
import type { SegregationApiServices } from './segregation-services.ts';
import { validationHook } from './validation-hook.ts';

/** Largest request body: a full batch of BATCH_COMMANDS_MAX two-leg transfers fits with room to spare. */
export const REQUEST_BODY_BYTES_MAX = 32 * 1024 * 1024;

/** Where the OpenAPI 3.1 document is served. */
export const OPENAPI_PATH = '/openapi.json';

/** What `createApp` serves besides the ledger. */
export interface CreateAppOptions {
  /** The custody services; without them the custody routes answer 503 `custody_unavailable`. */
  readonly custody?: CustodyApiServices;
  /** The segregation services; without them the /v1/segregation routes answer 503 `segregation_unavailable`. */
  readonly segregation?: SegregationApiServices;
  /** Proof of reserves; without it the reserves routes answer 503 `reserves_unavailable`. */
  readonly reserves?: ReservesApiServices;
  /** Insolvency resolution; without it the /v1/resolution routes answer 503 `resolution_unavailable`. */
  readonly resolution?: ResolutionApiServices;
}

/** Builds the API over `service`; nothing listens until `startServer` (or a test) calls `fetch`. */
export function createApp(service: LedgerService, options: CreateAppOptions = {}): OpenAPIHono<AppEnv> {
  const { custody, segregation, reserves, resolution } = options;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(renderError);
  app.notFound((c) => {
    throw new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`);
  });
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: REQUEST_BODY_BYTES_MAX,
      onError: () => {
        throw new ApiError('request_too_large', `request bodies are at most ${REQUEST_BODY_BYTES_MAX} bytes`);
      },
    }),
  );
  app.use('/v1/*', authenticate(service.store));
  registerHealthRoutes(app, service);
  registerAssetRoutes(app, service);
  registerAccountClassRoutes(app, service);
  registerCustomerRoutes(app, service);
  registerVaultRoutes(app, service);
  registerAccountRoutes(app, service);
  registerTransferRoutes(app, service);
  registerHoldRoutes(app, service);
  registerBalanceRoutes(app, service);
  registerPoolRoutes(app, service);
  registerJournalRoutes(app, service);
  registerWithdrawalRoutes(app, service, custody);
  registerCustodySetupRoutes(app, service, custody);
  registerDepositRoutes(app, service, custody);
  registerHotWalletRoutes(app, service, custody);
  registerSegregationRoutes(app, service, segregation);
  registerReservesRoutes(app, reserves);
  registerResolutionRoutes(app, service, resolution);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: operator, auditor, customer or officer role',
  });
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Ringfence ledger API',
      version: '1',
      description:
        'A segregated double-entry ledger with custody (vaults, withdrawal policies, approvals and execution) segregation (the daily statement, reconciliation, the residual-interest gate and alerts) proof of reserves (signed attestations, per-customer inclusion proofs, an offline verifier page) and insolvency resolution (a two-officer freeze, claims and pro-rata distribution per estate, the resolution pack, contagion simulations). Amounts are decimal strings at the asset scale.',
    },
  });
  return app;
}
