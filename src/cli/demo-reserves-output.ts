// How `ringfence demo` shows its proof of reserves: the published attestation per asset (liabilities,
// reserves, coverage), the files it wrote, and how the featured customer verifies their proof with the CLI
// and with the offline page.

import { formatAmount } from '../core/money/amount.ts';
import type { DemoReserves } from '../service/demo-reserves.ts';
import { renderFields, renderTable } from './output.ts';

/** Where the demo wrote its proof-of-reserves files. */
export interface DemoReservesFiles {
  readonly attestation: string;
  readonly proof: string;
  readonly page: string;
}

/** The reserves section of the walkthrough. */
export function renderDemoReserves(
  reserves: DemoReserves,
  files: DemoReservesFiles,
  url: string,
  customerKey: string,
): string {
  const { body } = reserves.audit.attestation;
  const rows = body.liabilities.assets.map((asset, index) => ({ asset, index }));
  const table = renderTable(rows, [
    { header: 'ASSET', cell: (row) => row.asset.code },
    {
      header: 'LIABILITIES',
      cell: (row) => formatAmount(BigInt(body.liabilities.totals[row.index]!), row.asset.scale),
      align: 'amount',
    },
    {
      header: 'RESERVES',
      cell: (row) => formatAmount(BigInt(body.reserves.totals[row.index]!), row.asset.scale),
      align: 'amount',
    },
    { header: 'COVERAGE', cell: (row) => body.coverage[row.index]!.ratio ?? 'n/a' },
  ]);
  const proven = body.reserves.vaults.filter((vault) => vault.controlProven).length;
  return `
Proof of reserves (audit ${reserves.audit.auditId}, journal seq ${body.journal.seq}):
${renderFields(
  [
    [
      'tree',
      `${body.liabilities.customers} customers in a SHA-256 Merkle-sum tree, root ${body.liabilities.rootHash.slice(0, 16)}…`,
    ],
    [
      'vaults',
      `${proven} of ${body.reserves.vaults.length} segregated Safes: control proven by their owners' signatures`,
    ],
    ['signed by', `${body.platformSigner} (the platform key)`],
    ['attestation', files.attestation],
    ['your proof', `${files.proof} (${reserves.featuredProof.leaf.customerId})`],
    ['offline page', `${files.page} (open it, paste or upload the proof; it makes no network requests)`],
  ],
  '  ',
)}${table}
Verify the proof as the customer would, with no server:
  npx ringfence proof verify ${files.proof} --signer ${body.platformSigner}
  curl -s ${url}/reserves/attestations/latest
  curl -s -H 'Authorization: Bearer ${customerKey}' ${url}/v1/reserves/audits/latest/proof
  npx ringfence proof fetch --url ${url} --key ${customerKey}
`;
}

/** The reserves part of `demo --json`. */
export function demoReservesJson(reserves: DemoReserves, files: DemoReservesFiles): Record<string, unknown> {
  const { body } = reserves.audit.attestation;
  return {
    auditId: reserves.audit.auditId,
    rootHash: body.liabilities.rootHash,
    platformSigner: body.platformSigner,
    coverage: body.coverage,
    files,
  };
}
