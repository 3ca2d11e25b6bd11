/// <reference lib="dom" />
// The browser side of the offline proof-verifier page: reads a pasted or uploaded proof file and the venue's
// published signer address, runs the core verifier, and shows VERIFIED with what the file proves or FAILED
// with the rule it broke. Every piece of file data reaches the page through textContent, never as markup.

import { type Address, parseAddress, toChecksumAddress } from '../../core/custody/address.ts';
import { formatAmount } from '../../core/money/amount.ts';
import type { SignedAttestation } from '../../core/reserves/attestation.ts';
import type { TreeAsset } from '../../core/reserves/tree-format.ts';
import type { VerifiedInclusionProof } from '../../core/reserves/verify-inclusion-proof.ts';
import { type VerifiedProofFile, verifyProofFile } from '../../core/reserves/verify-proof-file.ts';

/** The largest file the page reads: far above any proof, small enough not to exhaust a browser tab. */
export const PROOF_FILE_BYTES_MAX = 64 * 1024 * 1024;

/** Characters of JSON shown for a file kind this page has no dedicated view of. */
const GENERIC_SUMMARY_CHARS_MAX = 20_000;

/** Why the page could not even hand the input to the verifier; the verifier's own codes follow these. */
export type PageFailureCode =
  | 'input_empty'
  | 'input_too_large'
  | 'input_file_unreadable'
  | 'input_json_invalid'
  | 'input_signer_address_invalid'
  | 'verifier_internal_error';

/** A failure as the page shows it: a page code or any code the verifier returns. */
export interface ShownFailure {
  readonly code: string;
  readonly message: string;
  readonly level?: number;
}

/** What checking one input came to. */
export type PageOutcome =
  | { readonly ok: true; readonly file: VerifiedProofFile; readonly expectedSigner: Address | null }
  | { readonly ok: false; readonly error: ShownFailure };

/** Parses the inputs and verifies the file; never throws, so no input can break the page. */
export function checkInput(text: string, signerText: string): PageOutcome {
  const signerTrimmed = signerText.trim();
  const expectedSigner = signerTrimmed === '' ? null : parseAddress(signerTrimmed);
  if (signerTrimmed !== '' && expectedSigner === null) {
    return fail(
      'input_signer_address_invalid',
      'the signer address must be 0x and 40 hex digits (mixed case only with a valid EIP-55 checksum)',
    );
  }
  if (text.trim() === '') return fail('input_empty', 'paste a proof file or open one first');
  if (text.length > PROOF_FILE_BYTES_MAX) {
    return fail('input_too_large', `the input is over ${PROOF_FILE_BYTES_MAX} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('input_json_invalid', `the input is not JSON: ${messageOf(error)}`);
  }
  try {
    const result = verifyProofFile(value, expectedSigner === null ? {} : { expectedSigner });
    return result.ok ? { ok: true, file: result.file, expectedSigner } : { ok: false, error: result.error };
  } catch (error) {
    // The verifier returns every expected failure as data; a throw is a bug, shown rather than swallowed.
    return fail('verifier_internal_error', `the verifier stopped unexpectedly: ${messageOf(error)}`);
  }
}

/** Wires the page's controls; called once when the bundled script runs. */
export function startVerifierPage(): void {
  const text = byId('proof-text', HTMLTextAreaElement);
  const fileInput = byId('proof-file', HTMLInputElement);
  const fileName = byId('file-name', HTMLSpanElement);
  const signer = byId('expected-signer', HTMLInputElement);
  const button = byId('verify', HTMLButtonElement);
  const result = byId('result', HTMLElement);

  const run = (): void => showOutcome(result, checkInput(text.value, signer.value));
  button.addEventListener('click', run);
  text.addEventListener('input', () => {
    fileName.textContent = '';
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file === undefined) return;
    fileName.textContent = file.name;
    if (file.size > PROOF_FILE_BYTES_MAX) {
      showOutcome(result, fail('input_too_large', `${file.name} is over ${PROOF_FILE_BYTES_MAX} bytes`));
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      text.value = typeof reader.result === 'string' ? reader.result : '';
      run();
    });
    reader.addEventListener('error', () => {
      showOutcome(result, fail('input_file_unreadable', `${file.name} could not be read`));
    });
    reader.readAsText(file);
  });
}

function showOutcome(result: HTMLElement, outcome: PageOutcome): void {
  let view: Node[];
  try {
    view = outcome.ok ? verifiedView(outcome.file, outcome.expectedSigner) : failedView(outcome.error);
  } catch (error) {
    // A view that cannot render a verified file must not leave a stale or half-built result on screen.
    const failure: ShownFailure = {
      code: 'verifier_internal_error',
      message: `the result could not be shown: ${messageOf(error)}`,
    };
    outcome = { ok: false, error: failure };
    view = failedView(failure);
  }
  result.className = outcome.ok ? 'verified' : 'failed';
  result.dataset.status = outcome.ok ? 'verified' : 'failed';
  result.dataset.kind = outcome.ok ? outcome.file.kind : '';
  result.dataset.code = outcome.ok ? '' : outcome.error.code;
  result.replaceChildren(...view);
  result.scrollIntoView({ block: 'nearest' });
}

function failedView(error: ShownFailure): Node[] {
  const rows: [string, Node][] = [
    ['Code', text('code', error.code, 'result-code')],
    ['Reason', text('span', error.message, 'result-message')],
  ];
  if (error.level !== undefined) {
    rows.push(['Tree level', text('span', `${error.level} (0 is your own leaf)`, 'result-level')]);
  }
  return [
    banner('FAILED', 'This file did not verify. Do not rely on anything it claims.'),
    panel('What failed', [details(rows)]),
  ];
}

function verifiedView(file: VerifiedProofFile, expectedSigner: Address | null): Node[] {
  switch (file.kind) {
    case 'ringfence_inclusion_proof':
      return inclusionProofView(file.proof, expectedSigner);
    case 'ringfence_attestation':
      return [
        banner('VERIFIED', 'The reserves attestation is signed and its totals follow from its lines.'),
        signerNote(file.attestation.body.platformSigner, expectedSigner),
        ...attestationViews(file.attestation),
      ];
    default:
      // Kinds added to the verifier later show generically until they get a view of their own.
      return genericView(file as { readonly kind: string });
  }
}

function inclusionProofView(verified: VerifiedInclusionProof, expectedSigner: Address | null): Node[] {
  const { proof } = verified;
  const body = proof.attestation.body;
  return [
    banner('VERIFIED', 'Your balances are included in the venue’s signed liabilities.'),
    signerNote(verified.signer, expectedSigner),
    panel('Your account', [
      details([
        ['Customer', text('span', verified.customerId, 'result-customer')],
        ['Audit', text('span', proof.auditId, 'result-audit', 'mono')],
        ['As of', text('span', body.asOf, 'result-as-of')],
        ['Signed by', text('span', toChecksumAddress(verified.signer), 'result-signer', 'mono')],
      ]),
      table(
        ['Asset', 'Your balance'],
        proof.assets.map((asset, index) => ({
          key: asset.code,
          cells: [
            text('td', asset.code),
            text('td', amountText(verified.balancesMinor[index] ?? 0n, asset), undefined, 'amount'),
          ],
        })),
        { id: 'result-balances', amounts: true },
      ),
    ]),
    ...attestationViews(proof.attestation),
  ];
}

function attestationViews(attestation: SignedAttestation): Node[] {
  const { body } = attestation;
  const assets = body.liabilities.assets;
  const minorAt = (list: readonly string[], index: number): bigint => BigInt(list[index] ?? '0');
  return [
    panel('The venue’s attestation', [
      details([
        ['Audit', text('span', body.auditId, 'attestation-audit', 'mono')],
        ['As of', text('span', body.asOf, 'attestation-as-of')],
        ['Signed by', text('span', toChecksumAddress(body.platformSigner), 'attestation-signer', 'mono')],
        ['Customers in tree', text('span', String(body.liabilities.customers))],
        [
          'Journal',
          text('span', `entry ${body.journal.seq}, head ${body.journal.headHash}`, undefined, 'mono'),
        ],
        ['Liability root', text('span', body.liabilities.rootHash, undefined, 'mono')],
      ]),
      table(
        ['Asset', 'Liabilities', 'Reserves', 'Coverage', 'Customer deficits'],
        assets.map((asset, index) => {
          const coverage = body.coverage.find((line) => line.asset === asset.code);
          return {
            key: asset.code,
            cells: [
              text('td', asset.code),
              text('td', amountText(minorAt(body.liabilities.totals, index), asset), undefined, 'amount'),
              text('td', amountText(minorAt(body.reserves.totals, index), asset), undefined, 'amount'),
              coverageCell(coverage),
              text('td', amountText(minorAt(body.liabilities.deficits, index), asset), undefined, 'amount'),
            ],
          };
        }),
        { id: 'attestation-assets', amounts: true },
      ),
      text(
        'p',
        'Coverage is reserves ÷ liabilities, rounded down. Customer deficits are reported separately and are ' +
          'never netted against liabilities.',
        undefined,
        'hint',
      ),
    ]),
    panel('Reserve vaults', [
      table(
        ['Vault', 'Chain', 'Address', 'Block', 'Control'],
        body.reserves.vaults.map((vault) => ({
          key: vault.vaultId,
          cells: [
            text('td', vault.vaultId),
            text('td', String(vault.chainId)),
            text('td', toChecksumAddress(vault.address), undefined, 'mono'),
            text('td', vault.blockNumber),
            text(
              'td',
              vault.controlProven
                ? `proven (${vault.signatures.length} of ${vault.owners.length} owners signed, ${vault.threshold} needed)`
                : 'not proven: not counted as reserves',
              undefined,
              vault.controlProven ? 'yes' : 'no',
            ),
          ],
        })),
        { id: 'attestation-vaults', amounts: false },
      ),
    ]),
  ];
}

function genericView(file: { readonly kind: string }): Node[] {
  const json = JSON.stringify(
    file,
    (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
    2,
  );
  const shown =
    json.length > GENERIC_SUMMARY_CHARS_MAX ? `${json.slice(0, GENERIC_SUMMARY_CHARS_MAX)}\n…` : json;
  return [
    banner('VERIFIED', 'The file verified. This page has no dedicated view of its kind yet.'),
    panel('Verified file', [details([['Kind', text('code', file.kind, 'result-kind')]]), text('pre', shown)]),
  ];
}

function signerNote(signer: Address, expectedSigner: Address | null): Node {
  if (expectedSigner !== null) {
    return text(
      'p',
      `Signed by the address you entered, ${toChecksumAddress(signer)}.`,
      'signer-note',
      'hint',
    );
  }
  return text(
    'p',
    `You did not enter the venue’s published signer address. The signature is valid, but check that ` +
      `${toChecksumAddress(signer)} is the address the venue publishes.`,
    'signer-note',
    'warning',
  );
}

function coverageCell(coverage: SignedAttestation['body']['coverage'][number] | undefined): HTMLElement {
  if (coverage === undefined) return text('td', '—', undefined, 'amount');
  const ratio = coverage.ratio === null ? 'no liabilities' : `${coverage.ratio}×`;
  return text(
    'td',
    `${ratio} ${coverage.covered ? 'covered' : 'SHORT'}`,
    undefined,
    `amount ${coverage.covered ? 'yes' : 'no'}`,
  );
}

function amountText(minor: bigint, asset: TreeAsset): string {
  return `${formatAmount(minor, asset.scale)} ${asset.code}`;
}

function banner(title: string, subtitle: string): HTMLElement {
  const element = text('div', title, 'result-banner', 'banner');
  element.append(text('small', subtitle));
  return element;
}

function panel(heading: string, children: readonly Node[]): HTMLElement {
  const section = document.createElement('div');
  section.className = 'panel';
  section.append(text('h2', heading), ...children);
  return section;
}

function details(rows: readonly (readonly [string, Node])[]): HTMLElement {
  const list = document.createElement('dl');
  for (const [term, value] of rows) {
    const definition = document.createElement('dd');
    definition.append(value);
    list.append(text('dt', term), definition);
  }
  return list;
}

function table(
  headings: readonly string[],
  rows: readonly { readonly key: string; readonly cells: readonly HTMLElement[] }[],
  options: { readonly id: string; readonly amounts: boolean },
): HTMLElement {
  const element = document.createElement('table');
  element.id = options.id;
  const head = document.createElement('tr');
  headings.forEach((heading, index) => {
    // In amount tables every column after the first holds amounts, which align right under their heading.
    head.append(text('th', heading, undefined, options.amounts && index > 0 ? 'amount' : undefined));
  });
  element.createTHead().append(head);
  const body = element.createTBody();
  for (const row of rows) {
    const line = document.createElement('tr');
    line.dataset.key = row.key;
    line.append(...row.cells);
    body.append(line);
  }
  return element;
}

/** An element whose only content is `content` as text: file data never becomes markup. */
function text<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  content: string,
  id?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = content;
  if (id !== undefined) element.id = id;
  if (className !== undefined) element.className = className;
  return element;
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page template has no ${type.name} #${id}`);
  return element;
}

function fail(code: PageFailureCode, message: string): PageOutcome {
  return { ok: false, error: { code, message } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The bundle runs this once in the page; importing the module elsewhere (type checks, tests) does nothing.
if (typeof document !== 'undefined') startVerifierPage();
