// Alerts reach a loopback webhook as they are raised, one JSON POST each, retried when the receiver fails;
// a URL off the machine is refused.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { attachAlertWebhook, parseWebhookUrl } from '../../src/service/segregation/alert-webhook.ts';
import { openSegregationBook } from '../support/segregation-book.ts';

const SHORT_CSV = [
  'custodian,statement_date,vault_id,asset,balance',
  'Test Custodian,2026-11-30,vault:derivatives,USDC,1530',
].join('\n');

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

describe('alert webhook', () => {
  it('accepts loopback URLs only', () => {
    expect(parseWebhookUrl('http://127.0.0.1:9000/alerts').port).toBe('9000');
    expect(parseWebhookUrl('http://localhost/hook').hostname).toBe('localhost');
    expect(parseWebhookUrl('http://[::1]:8000/').hostname).toBe('[::1]');
    expect(() => parseWebhookUrl('http://example.com/hook')).toThrow(RangeError);
    expect(() => parseWebhookUrl('ftp://127.0.0.1/hook')).toThrow(RangeError);
    expect(() => parseWebhookUrl('not a url')).toThrow(RangeError);
  });

  it('posts each alert raised, retrying a receiver that fails once', async () => {
    const received: unknown[] = [];
    let failuresLeft = 1;
    const server = createServer(async (request, response) => {
      const body = await readBody(request);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        response.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const h = await openSegregationBook('sqlite');
      const undelivered: string[] = [];
      const stop = attachAlertWebhook(h.segregation, {
        url: parseWebhookUrl(`http://127.0.0.1:${port}/alerts`),
        render: (alert) => ({
          code: alert.code,
          severity: alert.severity,
          amount: alert.amountMinor?.toString(),
        }),
        onUndelivered: (alert, reason) => undelivered.push(`${alert.code}: ${reason}`),
      });
      const run = await h.segregation.importCustodianStatement(SHORT_CSV, 'operator-key');
      expect(run.ok).toBe(true);
      await stop();
      expect(received).toEqual([
        { code: 'reconciliation_shortfall', severity: 'critical', amount: '20000000' },
      ]);
      expect(undelivered).toEqual([]);
    } finally {
      server.close();
    }
  });
});
