// Proves the two unauthenticated routes: /healthz reports the journal head, and /openapi.json is an
// OpenAPI 3.1 document listing every route the app serves, with the error schema and bearer security.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, openApiHarness } from './harness.ts';

/** Every route of the API, as "METHOD path" in OpenAPI path syntax. */
const EXPECTED_ROUTES = [
  'GET /healthz',
  'POST /v1/assets',
  'GET /v1/assets',
  'POST /v1/account-classes',
  'GET /v1/account-classes',
  'POST /v1/customers',
  'GET /v1/customers',
  'GET /v1/customers/{id}',
  'POST /v1/accounts',
  'GET /v1/accounts',
  'GET /v1/accounts/{id}',
  'POST /v1/transfers',
  'POST /v1/transfers/batch',
  'GET /v1/transfers/{id}',
  'POST /v1/holds/{holdId}/post',
  'POST /v1/holds/{holdId}/void',
  'GET /v1/holds/{id}',
  'GET /v1/holds',
  'GET /v1/balances',
  'GET /v1/pools',
  'GET /v1/journal/head',
  'POST /v1/vaults',
  'GET /v1/vaults',
  'GET /v1/vaults/{id}',
  'GET /v1/journal/batches',
  'POST /v1/journal/verify',
  'POST /v1/withdrawals',
  'GET /v1/withdrawals',
  'GET /v1/withdrawals/{id}',
  'POST /v1/withdrawals/{id}/approvals',
  'POST /v1/withdrawals/{id}/execute',
  'POST /v1/withdrawals/{id}/cancel',
  'GET /v1/vaults/{id}/policy',
  'PUT /v1/vaults/{id}/policy',
  'GET /v1/vaults/{id}/allowlist',
  'POST /v1/vaults/{id}/allowlist',
  'GET /v1/custody/signers',
  'POST /v1/custody/signers',
  'GET /v1/custody/hot-wallet-plan',
  'GET /v1/deposits/unattributed',
  'POST /v1/deposits/{transferId}/assign',
  'POST /v1/segregation/statements',
  'GET /v1/segregation/statements',
  'POST /v1/segregation/statements/{id}/finalise',
  'GET /v1/segregation/statements/{id}',
  'GET /v1/segregation/statements/{id}/diff/{otherId}',
  'GET /v1/segregation/pro-forma',
  'PUT /v1/segregation/targets',
  'GET /v1/segregation/targets',
  'POST /v1/segregation/reconciliations/chain',
  'POST /v1/segregation/reconciliations/custodian-statements',
  'GET /v1/segregation/reconciliations',
  'GET /v1/segregation/reconciliations/{id}',
  'GET /v1/segregation/breaks',
  'POST /v1/segregation/breaks/{id}/resolve',
  'GET /v1/segregation/top-ups',
  'POST /v1/segregation/residual-interest/withdrawals',
  'GET /v1/segregation/residual-interest/withdrawals',
  'GET /v1/segregation/residual-interest/withdrawals/{id}',
  'POST /v1/segregation/residual-interest/withdrawals/{id}/approvals',
  'GET /v1/segregation/notices',
  'GET /v1/segregation/notices/{id}',
  'GET /v1/segregation/alerts',
  'GET /v1/segregation/alerts/stream',
  'POST /v1/reserves/audits',
  'GET /v1/reserves/audits',
  'GET /v1/reserves/audits/{auditId}/attestation',
  'GET /v1/reserves/audits/{auditId}/proof',
  'GET /reserves/attestations/{auditId}',
  'GET /verify',
  'GET /v1/resolution',
  'POST /v1/resolution/freeze',
  'POST /v1/resolution/freeze/approve',
  'POST /v1/resolution/recoveries',
  'GET /v1/resolution/distribution',
  'GET /v1/resolution/customers/{customerId}',
  'GET /v1/resolution/pack',
  'POST /v1/resolution/simulations',
].sort();

describe.each(STORE_KINDS)('health and OpenAPI on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  it('GET /healthz answers ok with the head seq, without a key', async () => {
    const { status, body } = await api.call('GET', '/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', headSeq: await api.store.readHeadSeq() });
    expect(body.headSeq).toBeGreaterThan(0);
  });

  it('GET /openapi.json is a 3.1 document listing every route, without a key', async () => {
    const { status, body } = await api.call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(EXPECTED_ROUTES);
    // Every route the router serves is documented (Hono spells params ":id", OpenAPI "{id}").
    const served = new Set(
      api.app.routes
        .filter((route) => route.method !== 'ALL' && route.path !== '/openapi.json')
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect([...served].sort()).toEqual(EXPECTED_ROUTES);
  });

  it('documents the error envelope, the bearer scheme and the security of every /v1 operation', async () => {
    const { body } = await api.call('GET', '/openapi.json');
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    type Operation = {
      security?: unknown;
      responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
    };
    for (const [path, operations] of Object.entries(
      body.paths as Record<string, Record<string, Operation>>,
    )) {
      for (const operation of Object.values(operations)) {
        if (path.startsWith('/v1/')) {
          expect(operation.security).toEqual([{ bearerAuth: [] }]);
          expect(operation.responses['401']?.content['application/json']?.schema.$ref).toBe(
            '#/components/schemas/Error',
          );
        }
        expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
      }
    }
  });

  it('answers unknown paths with the error envelope', async () => {
    const { status, body } = await api.call('GET', '/v1/nothing-here', { key: api.keys.operator });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
