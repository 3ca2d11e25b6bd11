// Proves the offline proof-verifier page works as a customer drives it, with no network: the built page is
// written to a temp file and opened from its file:// URL in Debian's Chromium (through playwright-core), with
// every request other than the page itself aborted and counted; each case asserts the count stays zero.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InclusionProofJson } from '../../src/core/reserves/proof-json.ts';
import { buildVerifierPage } from '../../src/web/proof-verifier/build-page.ts';
import { PLATFORM_KEY, type SignedFixture, signedFixture, TRUSTEE_KEY } from '../support/reserves-fixture.ts';

const CHROMIUM_PATH = '/usr/bin/chromium';
/** Flags that keep Chromium from phoning home at start (this machine's network is closed anyway). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'USDC', scale: 6 },
] as const;

describe('proof verifier page (Chromium, network blocked)', () => {
  let directory: string;
  let pageUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let fixture: SignedFixture;
  /** Every request the context saw for anything but the page's own file. */
  let networkAttempts: string[];
  let pageErrors: string[];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ringfence-verifier-'));
    const pagePath = join(directory, 'verify.html');
    writeFileSync(pagePath, await buildVerifierPage(), 'utf8');
    pageUrl = pathToFileURL(pagePath).href;
    fixture = await signedFixture(ASSETS, [
      { customerId: 'alice', balancesMinor: [150_000_000n, 2_500_000_000n] },
      { customerId: 'bob', balancesMinor: [1n, 0n] },
      { customerId: 'carol', balancesMinor: [0n, 1_234_567n] },
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    networkAttempts = [];
    pageErrors = [];
    context = await openBlockedContext(browser, pageUrl, networkAttempts);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pageUrl);
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
    expect(networkAttempts).toEqual([]);
  });

  async function verifyPasted(value: unknown, expectedSigner = ''): Promise<void> {
    await page.fill('#proof-text', typeof value === 'string' ? value : JSON.stringify(value));
    await page.fill('#expected-signer', expectedSigner);
    await page.click('#verify');
    await page.waitForSelector('#result[data-status]');
  }

  async function balanceOf(asset: string): Promise<string | null> {
    return page.locator(`#result-balances tr[data-key="${asset}"] td.amount`).textContent();
  }

  it('verifies a pasted proof and shows the customer, audit and formatted balances', async () => {
    const proof = fixture.proofAt(0);
    await verifyPasted(proof, PLATFORM_KEY.address);

    expect(await page.getAttribute('#result', 'data-status')).toBe('verified');
    expect(await page.getAttribute('#result', 'data-kind')).toBe('ringfence_inclusion_proof');
    expect(await page.textContent('#result-banner')).toContain('VERIFIED');
    expect(await page.textContent('#result-customer')).toBe('alice');
    expect(await page.textContent('#result-audit')).toBe(proof.auditId);
    expect(await page.textContent('#result-as-of')).toBe('2026-11-30T12:00:00.000Z');
    expect((await page.textContent('#result-signer'))?.toLowerCase()).toBe(PLATFORM_KEY.address);
    expect(await balanceOf('BTC')).toBe('1.5 BTC');
    expect(await balanceOf('USDC')).toBe('2500 USDC');
    const attested = await page.textContent('#attestation-assets');
    expect(attested).toContain('1.50000001 BTC');
    expect(attested).toContain('2501.234567 USDC');
    expect(attested).toContain('1.0000× covered');
    expect(await page.textContent('#signer-note')).toContain('Signed by the address you entered');
  });

  it('verifies a proof uploaded through the file input', async () => {
    await page.setInputFiles('#proof-file', {
      name: 'my-proof.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(fixture.proofAt(2))),
    });
    await page.waitForSelector('#result[data-status]');

    expect(await page.getAttribute('#result', 'data-status')).toBe('verified');
    expect(await page.textContent('#file-name')).toBe('my-proof.json');
    expect(await page.textContent('#result-customer')).toBe('carol');
    expect(await balanceOf('BTC')).toBe('0 BTC');
    expect(await balanceOf('USDC')).toBe('1.234567 USDC');
    // No signer entered: the page says the signature is valid but asks the customer to compare the address.
    expect(await page.textContent('#signer-note')).toContain('did not enter');
  });

  it('fails a proof whose leaf balance was changed, naming the leaf hash', async () => {
    const proof = fixture.proofAt(0);
    const tampered: InclusionProofJson = {
      ...proof,
      leaf: { ...proof.leaf, balances: ['250000000', ...proof.leaf.balances.slice(1)] },
    };
    await verifyPasted(tampered);

    expect(await page.getAttribute('#result', 'data-status')).toBe('failed');
    expect(await page.textContent('#result-banner')).toContain('FAILED');
    expect(await page.textContent('#result-code')).toBe('proof_leaf_hash_mismatch');
    expect(await page.textContent('#result-message')).not.toBe('');
    expect(await page.locator('#result-balances').count()).toBe(0);
  });

  it('fails a genuine proof when the entered signer is not the one that signed', async () => {
    await verifyPasted(fixture.proofAt(1), TRUSTEE_KEY.address);

    expect(await page.getAttribute('#result', 'data-status')).toBe('failed');
    expect(await page.textContent('#result-code')).toBe('attestation_signer_unexpected');
    expect(await page.textContent('#result-message')).toContain(TRUSTEE_KEY.address);
  });

  it('verifies an attestation file and shows liabilities, reserves and coverage per asset', async () => {
    await verifyPasted(fixture.attestation, PLATFORM_KEY.address);

    expect(await page.getAttribute('#result', 'data-status')).toBe('verified');
    expect(await page.getAttribute('#result', 'data-kind')).toBe('ringfence_attestation');
    expect(await page.locator('#result-balances').count()).toBe(0);
    expect(await page.textContent('#attestation-audit')).toBe(fixture.attestation.body.auditId);
    const row = await page.textContent('#attestation-assets tr[data-key="BTC"]');
    expect(row).toContain('1.50000001 BTC');
    expect(row).toContain('0 BTC');
    expect(await page.textContent('#attestation-vaults')).toContain(
      'proven (2 of 3 owners signed, 2 needed)',
    );
  });

  it('reports garbage input clearly and keeps working afterwards', async () => {
    await verifyPasted('this is not { a proof');
    expect(await page.getAttribute('#result', 'data-status')).toBe('failed');
    expect(await page.textContent('#result-code')).toBe('input_json_invalid');

    await verifyPasted({ hello: 'world' });
    expect(await page.textContent('#result-code')).toBe('file_format_unknown');

    await verifyPasted(fixture.proofAt(0), 'not-an-address');
    expect(await page.textContent('#result-code')).toBe('input_signer_address_invalid');

    await verifyPasted(fixture.proofAt(0));
    expect(await page.getAttribute('#result', 'data-status')).toBe('verified');
  });

  it('shows file text as text, never as markup', async () => {
    const proof = fixture.proofAt(0);
    await verifyPasted({ ...proof, auditId: '<img src=x onerror="document.title=1">' });

    expect(await page.textContent('#result-code')).toBe('proof_malformed');
    expect(await page.locator('#result img').count()).toBe(0);
    expect(await page.title()).toBe('Ringfence proof verifier');
  });

  it('cannot reach the network even when its script tries: the page CSP refuses before any request', async () => {
    const outcome = await page.evaluate(async () => {
      try {
        await fetch('http://127.0.0.1:9/leak');
        return 'fetched';
      } catch {
        return 'refused';
      }
    });
    expect(outcome).toBe('refused');
  });
});

describe('network blocking harness', () => {
  it('sees and aborts a request that is not the page, so a zero count means no request was made', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const attempts: string[] = [];
      const context = await openBlockedContext(browser, 'file:///nonexistent/page.html', attempts);
      const page = await context.newPage();
      // about:blank has no CSP, so only the harness stands between this fetch and the network.
      const outcome = await page.evaluate(async () =>
        fetch('http://127.0.0.1:9/probe').then(
          () => 'fetched',
          () => 'refused',
        ),
      );
      expect(outcome).toBe('refused');
      expect(attempts).toEqual(['http://127.0.0.1:9/probe']);
    } finally {
      await browser.close();
    }
  });
});

/** A context in which every request except `pageUrl` itself is aborted and recorded in `attempts`. */
async function openBlockedContext(
  browser: Browser,
  pageUrl: string,
  attempts: string[],
): Promise<BrowserContext> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  context.on('request', (request) => {
    if (request.url() !== pageUrl) attempts.push(request.url());
  });
  await context.route('**/*', async (route) => {
    if (route.request().url() === pageUrl) await route.continue();
    else await route.abort('blockedbyclient');
  });
  return context;
}
