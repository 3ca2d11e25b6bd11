// Delivers every segregation alert to a webhook as it is raised: one JSON POST per alert, retried a few
// times with a growing pause, in the order raised. Only loopback URLs are accepted (a local relay forwards
// to pagers or chat), so the engine itself never reaches out of the machine.

import type { SegregationService } from './segregation-service.ts';
import type { AlertRecord } from './segregation-state.ts';

/** Attempts per alert before it is reported as undelivered (the alert stays in the API's list regardless). */
export const WEBHOOK_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 250;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL if it is an http(s) URL on a loopback host; throws RangeError otherwise. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`the alert webhook is not a URL: ${text}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new RangeError(
      'the alert webhook must be an http(s) URL on a loopback host (127.0.0.1, localhost, [::1])',
    );
  }
  return url;
}

export interface AlertWebhookOptions {
  readonly url: URL;
  /** The JSON body of one alert (the same view the API serves). */
  readonly render: (alert: AlertRecord) => unknown;
  /** Called when an alert could not be delivered after every attempt. */
  readonly onUndelivered: (alert: AlertRecord, reason: string) => void;
}

/** Posts each new alert to the webhook; returns a function that stops it and waits for deliveries in flight. */
export function attachAlertWebhook(
  service: SegregationService,
  options: AlertWebhookOptions,
): () => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  const unsubscribe = service.subscribe((alert) => {
    queue = queue.then(() => deliver(alert, options));
  });
  return async () => {
    unsubscribe();
    await queue;
  };
}

async function deliver(alert: AlertRecord, options: AlertWebhookOptions): Promise<void> {
  const body = JSON.stringify(options.render(alert));
  let reason = '';
  for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt += 1) {
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) return;
      reason = `HTTP ${response.status}`;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt));
  }
  options.onUndelivered(alert, reason);
}
