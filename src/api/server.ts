// Serves the API on a loopback address with @hono/node-server; port 0 picks a free port.

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { LedgerService } from '../service/ledger-service.ts';
import { createApp } from './app.ts';
import type { CustodyApiServices } from './custody-services.ts';
import type { ReservesApiServices } from './routes/reserves-routes.ts';
import type { ResolutionApiServices } from './routes/resolution-routes.ts';
import type { SegregationApiServices } from './segregation-services.ts';

/** The loopback address the server binds unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

/** What `startServer` needs: the service to serve and where to listen. */
export interface StartServerOptions {
  readonly service: LedgerService;
  /** TCP port; 0 lets the system choose one. */
  readonly port: number;
  /** Bind address; defaults to loopback, and only loopback addresses are accepted. */
  readonly host?: string;
  /** The custody services; without them the custody routes answer 503 `custody_unavailable`. */
  readonly custody?: CustodyApiServices;
  /** The segregation services; without them the /v1/segregation routes answer 503 `segregation_unavailable`. */
  readonly segregation?: SegregationApiServices;
  /** Proof of reserves; without it the reserves routes answer 503 `reserves_unavailable`. */
  readonly reserves?: ReservesApiServices;
  /** Insolvency resolution; without it the /v1/resolution routes answer 503 `resolution_unavailable`. */
  readonly resolution?: ResolutionApiServices;
}

/** A listening server: its base URL and port, and `close` to stop accepting and wait for open requests. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the API on `host:port` and resolves once it listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  // The API trusts bearer keys over plain HTTP: it is meant to sit behind a local TLS-terminating proxy.
  if (!LOOPBACK_HOSTS.has(host)) throw new RangeError(`the API binds loopback only, not ${host}`);
  const app = createApp(options.service, {
    ...(options.custody === undefined ? {} : { custody: options.custody }),
    ...(options.segregation === undefined ? {} : { segregation: options.segregation }),
    ...(options.reserves === undefined ? {} : { reserves: options.reserves }),
    ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port, hostname: host }, () => resolve(started));
    started.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Idle keep-alive sockets would hold close() open indefinitely.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
