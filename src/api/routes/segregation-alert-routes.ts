// Segregation alerts under /v1/segregation: the list of every alert raised (newest first), and a server-sent
// event stream that delivers each alert raised after the client connects, with a heartbeat comment while idle
// so proxies keep the connection open.

import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { LedgerService } from '../../service/ledger-service.ts';
import type { AlertRecord } from '../../service/segregation/segregation-state.ts';
import { alertView, readScales } from '../../service/segregation/segregation-views.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { AlertSchema, list } from '../segregation-schema.ts';
import { SEGREGATION_READERS, type SegregationApiServices, segregationOf } from '../segregation-services.ts';

/** How long the stream may stay silent before it sends a heartbeat comment. */
export const ALERT_STREAM_HEARTBEAT_MS = 15_000;

const TAGS = ['segregation'];

const listRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/alerts',
  tags: TAGS,
  summary:
    'Every alert raised, newest first: deficiency (critical), below target and late finalisation (warning)',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Alerts',
      content: { 'application/json': { schema: z.object({ alerts: list(AlertSchema) }) } },
    },
    ...errorResponses(403),
  },
});

const streamRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/alerts/stream',
  tags: TAGS,
  summary:
    'Server-sent events: each alert raised after connecting (event "alert", id = its seq, data = the alert)',
  description: `A comment line (": heartbeat") is sent after ${ALERT_STREAM_HEARTBEAT_MS / 1000} s without an alert.`,
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'The event stream',
      content: {
        'text/event-stream': {
          schema: z
            .string()
            .openapi({ description: 'event: alert\\ndata: <SegregationAlert JSON>\\nid: <seq>' }),
        },
      },
    },
    ...errorResponses(403),
  },
});

/** Registers the alert list and stream (behind `requireSegregation`). */
export function registerSegregationAlertRoutes(
  app: ApiApp,
  ledger: LedgerService,
  segregation: SegregationApiServices | undefined,
): void {
  const services = () => segregationOf(segregation);

  app.openapi(listRoute, async (c) => {
    const scaleOf = await readScales(ledger);
    const alerts = services()
      .service.listAlerts()
      .map((alert) => alertView(alert, scaleOf));
    return c.json({ alerts }, 200);
  });

  app.openapi(streamRoute, (c) => {
    const { service } = services();
    return streamSSE(c, async (stream) => {
      // Subscribe before anything is awaited, so no alert raised after the response starts is missed.
      const pending: AlertRecord[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = service.subscribe((alert) => {
        pending.push(alert);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.write(': connected\n\n');
        while (!stream.aborted) {
          const alert = pending.shift();
          if (alert !== undefined) {
            const view = alertView(alert, await readScales(ledger));
            await stream.writeSSE({ event: 'alert', id: String(alert.seq), data: JSON.stringify(view) });
            continue;
          }
          const alerted = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), ALERT_STREAM_HEARTBEAT_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = null;
          if (!alerted && !stream.aborted) await stream.write(': heartbeat\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
