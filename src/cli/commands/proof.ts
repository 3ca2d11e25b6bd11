// `ringfence proof`: verify a proof or attestation file offline (ours, or another exchange's supported
// format), write the offline verifier page, and — against a running server — publish an audit (operator),
// list audits, or download the calling customer's own inclusion proof (customer key).

import { readFileSync, writeFileSync } from 'node:fs';
import { type Address, parseAddress } from '../../core/custody/address.ts';
import { formatAmount } from '../../core/money/amount.ts';
import type { SignedAttestation } from '../../core/reserves/attestation.ts';
import { NODE_PRIMITIVES } from '../../core/reserves/node-primitives.ts';
import {
  formatOkxAmount,
  isOkxLiabilityTreeText,
  type OkxBalances,
  type OkxUserLeaf,
  type OkxWeakness,
  verifyOkxLiabilityTree,
} from '../../core/reserves/okx/index.ts';
import { type VerifiedProofFile, verifyProofFile } from '../../core/reserves/verify-proof-file.ts';
import { buildVerifierPage } from '../../web/proof-verifier/build-page.ts';
import { parseCommandArgs } from '../args.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { requestJson, SERVER_OPTIONS, serverTarget } from '../http-client.ts';
import { printJson, renderFields, renderTable } from '../output.ts';

const OPTIONS = {
  ...SERVER_OPTIONS,
  signer: { type: 'string' },
  out: { type: 'string' },
  audit: { type: 'string' },
  tree: { type: 'string' },
} as const;

/** Where `proof page` writes unless --out says otherwise. */
export const VERIFIER_PAGE_DEFAULT = 'ringfence-verify.html';

export const proofCommand: CliCommand = {
  name: 'proof',
  summary: 'Verify proof-of-reserves files offline; publish audits and fetch your proof from a server',
  help: `Usage: ringfence proof verify <file> [--signer <address>] [--tree <okx tree file>] [--json]
       ringfence proof page [--out ${VERIFIER_PAGE_DEFAULT}]
       ringfence proof publish [--url <url>] [--key <operator key>] [--json]
       ringfence proof audits [--url <url>] [--key <key>] [--json]
       ringfence proof fetch [--audit latest|<id>] [--out <file>] [--url <url>] [--key <customer key>]

verify   Checks a file with no server and no network: a Ringfence inclusion proof (your leaf, every
         level's sibling and parent sums and hashes up to the root, and the platform's signed attestation
         with each vault's proof of control), a Ringfence attestation on its own, or another exchange's
         supported format (docs/proof-formats.md). Exit 0 when it verifies, 1 with the failed check's code.
         --signer compares the attestation's signer with the address the venue publishes. An OKX
         full liability tree (.txt) is checked level by level; --tree with an OKX user-info file also
         checks that your leaves are in that tree.
page     Writes the offline verifier as one self-contained HTML file: open it in a browser, paste or
         upload a proof; it makes no network requests.
publish  POST /v1/reserves/audits (operator key): audit the books at the journal head and sign it.
audits   GET /v1/reserves/audits: every published audit with its coverage.
fetch    GET /v1/reserves/audits/<id>/proof (customer key): saves your own proof (default
         proof-<customer>-<audit>.json) for "proof verify".

Options:
  --signer <address>  The venue's published platform address (verify)
  --tree <file>       OKX v2 full liability tree to find an OKX user-info file's leaves in (verify)
  --out <file>        Where to write (page, fetch)
  --audit <id>        Which audit (fetch; default latest)
  --url <url>         Server (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>      API key (default $RINGFENCE_KEY)
  --json              Print JSON
  -h, --help          Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('proof', args, OPTIONS);
    if (values.help) {
      io.stdout(proofCommand.help);
      return 0;
    }
    const [action, ...rest] = positionals;
    const noMore = () => {
      if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, 'proof');
    };
    switch (action) {
      case 'verify': {
        const [file, ...extra] = rest;
        if (file === undefined) throw usageError('missing file: proof verify <file>', 'proof');
        if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'proof');
        return verifyFile(io, file, { signer: values.signer, tree: values.tree, json: values.json });
      }
      case 'page': {
        noMore();
        const out = values.out ?? VERIFIER_PAGE_DEFAULT;
        writeFileSync(out, await buildVerifierPage());
        io.stdout(
          values.json ? `${JSON.stringify({ page: out })}\n` : `wrote the offline verifier page to ${out}\n`,
        );
        return 0;
      }
      case 'publish': {
        noMore();
        const created = (await requestJson(
          serverTarget('proof', io, values),
          'POST',
          '/v1/reserves/audits',
        )) as {
          auditId: string;
          attestation: SignedAttestation;
        };
        if (values.json) printJson(io, created);
        else io.stdout(renderAttestation(created.attestation));
        return 0;
      }
      case 'audits': {
        noMore();
        const listed = (await requestJson(
          serverTarget('proof', io, values),
          'GET',
          '/v1/reserves/audits',
        )) as {
          audits: {
            auditId: string;
            asOf: string;
            journalSeq: number;
            customers: number;
            coverage: Coverage[];
          }[];
        };
        if (values.json) {
          printJson(io, listed);
          return 0;
        }
        io.stdout(
          renderTable(listed.audits, [
            { header: 'audit', cell: (audit) => audit.auditId },
            { header: 'as of', cell: (audit) => audit.asOf },
            { header: 'journal seq', cell: (audit) => String(audit.journalSeq) },
            { header: 'customers', cell: (audit) => String(audit.customers) },
            {
              header: 'coverage',
              cell: (audit) =>
                audit.coverage.map((line) => `${line.asset} ${line.ratio ?? 'n/a'}`).join(', '),
            },
          ]),
        );
        return 0;
      }
      case 'fetch': {
        noMore();
        const audit = values.audit ?? 'latest';
        if (!/^(latest|[0-9a-f]{32})$/.test(audit))
          throw usageError('--audit is latest or a 32-hex-digit id', 'proof');
        const proof = (await requestJson(
          serverTarget('proof', io, values),
          'GET',
          `/v1/reserves/audits/${audit}/proof`,
        )) as { auditId: string; leaf: { customerId: string } };
        const out = values.out ?? `proof-${proof.leaf.customerId}-${proof.auditId}.json`;
        writeFileSync(out, `${JSON.stringify(proof, null, 2)}\n`);
        io.stdout(
          values.json
            ? `${JSON.stringify({ proof: out, auditId: proof.auditId })}\n`
            : `saved your proof for audit ${proof.auditId} to ${out}\nverify it offline: ringfence proof verify ${out}\n`,
        );
        return 0;
      }
      default:
        throw usageError(
          action === undefined
            ? 'missing action: proof verify|page|publish|audits|fetch'
            : `unknown action "proof ${action}"`,
          'proof',
        );
    }
  },
};

interface Coverage {
  readonly asset: string;
  readonly ratio: string | null;
  readonly covered: boolean;
}

function verifyFile(
  io: CliIo,
  file: string,
  options: { readonly signer: string | undefined; readonly tree: string | undefined; readonly json: boolean },
): number {
  const { signer: signerText, json } = options;
  let expectedSigner: Address | undefined;
  if (signerText !== undefined) {
    const parsed = parseAddress(signerText);
    if (parsed === null) throw usageError('--signer is an EVM address (0x and 40 hex digits)', 'proof');
    expectedSigner = parsed;
  }
  const text = readText(file);
  if (isOkxLiabilityTreeText(text)) return verifyOkxTree(io, text, [], json);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError('proof_malformed', `${file} is not JSON`);
  }
  const result = verifyProofFile(parsed, {
    primitives: NODE_PRIMITIVES,
    ...(expectedSigner === undefined ? {} : { expectedSigner }),
  });
  if (!result.ok) throw notVerified(result.error);
  if (options.tree !== undefined) {
    if (result.file.kind !== 'okx_user_info_v2') {
      throw usageError('--tree goes with an OKX user-info file', 'proof');
    }
    verifyOkxTree(io, readText(options.tree), result.file.okx.leaves, json);
  }
  if (json) {
    printJson(io, { verified: true, ...summaryOf(result.file) });
    return 0;
  }
  io.stdout(renderVerified(result.file, expectedSigner));
  return 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('file_unreadable', `cannot read ${file}: ${(error as Error).message}`);
  }
}

function notVerified(error: { readonly code: string; readonly message: string }): CliError {
  const { code: _code, message: _message, ...details } = error as Record<string, unknown>;
  return new CliError(error.code, `NOT VERIFIED: ${error.message}`, details);
}

function verifyOkxTree(io: CliIo, text: string, userLeaves: readonly OkxUserLeaf[], json: boolean): number {
  const result = verifyOkxLiabilityTree(text, { userLeaves });
  if (!result.ok) throw notVerified(result.error);
  if (json) {
    printJson(io, {
      verified: true,
      kind: 'okx_liability_tree_v2',
      rootHash: result.root.hash,
      height: result.root.height,
      leafCount: result.leafCount,
      userLeavesFound: result.userLeaves.length,
      balances: okxBalancesJson(result.root.balances),
      weaknesses: result.weaknesses,
    });
    return 0;
  }
  io.stdout(
    `VERIFIED: OKX full liability tree (v2), every parent recomputed; ${result.leafCount} leaves${userLeaves.length > 0 ? `, your ${result.userLeaves.length} leaves found once each` : ''}\n${renderFields(
      [
        ['root', `${result.root.hash} (height ${result.root.height})`],
        ...okxBalanceFields('total', result.root.balances),
      ],
    )}${renderWeaknesses(result.weaknesses)}`,
  );
  return 0;
}

function okxBalancesJson(balances: OkxBalances): Record<string, string> {
  return Object.fromEntries(
    Object.entries(balances).map(([asset, amount]) => [asset, formatOkxAmount(amount)]),
  );
}

function okxBalanceFields(prefix: string, balances: OkxBalances): [string, string][] {
  return Object.entries(balances).map(([asset, amount]) => [`${prefix} ${asset}`, formatOkxAmount(amount)]);
}

function renderWeaknesses(weaknesses: readonly OkxWeakness[]): string {
  if (weaknesses.length === 0) return '';
  return `\nWEAKNESSES of this format (what the check above cannot rule out):\n${weaknesses.map((weakness) => `  - ${weakness.code}: ${weakness.message}\n`).join('')}`;
}

function summaryOf(file: VerifiedProofFile): Record<string, unknown> {
  switch (file.kind) {
    case 'ringfence_inclusion_proof': {
      const { proof } = file.proof;
      return {
        kind: file.kind,
        customerId: file.proof.customerId,
        auditId: proof.auditId,
        asOf: proof.attestation.body.asOf,
        signer: file.proof.signer,
        balances: proof.assets.map((asset, index) => ({
          asset: asset.code,
          amount: formatAmount(file.proof.balancesMinor[index]!, asset.scale),
        })),
      };
    }
    case 'ringfence_attestation':
      return {
        kind: file.kind,
        auditId: file.attestation.body.auditId,
        signer: file.attestation.body.platformSigner,
      };
    case 'okx_merkle_v1':
      return {
        kind: file.kind,
        rootHash: file.okx.root.hash,
        height: file.okx.root.height,
        rootBalances: okxBalancesJson(file.okx.root.balances),
        balances: okxBalancesJson(file.okx.self.balances),
        weaknesses: file.okx.weaknesses,
      };
    case 'okx_user_info_v2':
      return {
        kind: file.kind,
        userHash: file.okx.userHash,
        balances: okxBalancesJson(file.okx.totalBalances),
        leaves: file.okx.leaves.length,
        weaknesses: file.okx.weaknesses,
      };
  }
}

function renderVerified(file: VerifiedProofFile, expectedSigner: Address | undefined): string {
  const signerNote =
    expectedSigner === undefined
      ? 'not compared: pass --signer with the address the venue publishes'
      : 'matches the address you gave';
  switch (file.kind) {
    case 'ringfence_inclusion_proof': {
      const { proof } = file.proof;
      const lines = [
        `VERIFIED: ${file.proof.customerId} is included in audit ${proof.auditId}\n`,
        renderFields([
          ...proof.assets.map(
            (asset, index) =>
              [`your ${asset.code}`, formatAmount(file.proof.balancesMinor[index]!, asset.scale)] as [
                string,
                string,
              ],
          ),
          ['tree', `SHA-256 Merkle-sum, height ${proof.height}, leaf position ${proof.position}`],
          ['signer', `${file.proof.signer} (${signerNote})`],
        ]),
        renderAttestation(proof.attestation),
      ];
      return lines.join('');
    }
    case 'ringfence_attestation':
      return `VERIFIED: attestation signed by ${file.attestation.body.platformSigner} (${signerNote})\n${renderAttestation(file.attestation)}`;
    case 'okx_merkle_v1':
      return `VERIFIED: OKX Merkle proof (v1): your leaf climbs to the root\n${renderFields([
        ['root', `${file.okx.root.hash} (height ${file.okx.root.height})`],
        ...okxBalanceFields('your', file.okx.self.balances),
        ...okxBalanceFields('total', file.okx.root.balances),
      ])}${renderWeaknesses(file.okx.weaknesses)}`;
    case 'okx_user_info_v2':
      return `VERIFIED: OKX user info (v2): your hash and your ${file.okx.leaves.length} leaves add up (pass --tree <full tree file> to find them in the published tree)\n${renderFields(
        [['user hash', file.okx.userHash], ...okxBalanceFields('your', file.okx.totalBalances)],
      )}${renderWeaknesses(file.okx.weaknesses)}`;
  }
}

function renderAttestation(attestation: SignedAttestation): string {
  const { body } = attestation;
  const assets = body.liabilities.assets;
  const header = `\nAttestation ${body.auditId} as of ${body.asOf} (journal seq ${body.journal.seq}, head ${body.journal.headHash.slice(0, 16)}...)\n`;
  const table = renderTable(
    assets.map((asset, index) => ({ asset, index })),
    [
      { header: 'asset', cell: ({ asset }) => asset.code },
      {
        header: 'liabilities',
        cell: ({ asset, index }) => formatAmount(BigInt(body.liabilities.totals[index]!), asset.scale),
      },
      {
        header: 'reserves',
        cell: ({ asset, index }) => formatAmount(BigInt(body.reserves.totals[index]!), asset.scale),
      },
      { header: 'coverage', cell: ({ index }) => body.coverage[index]!.ratio ?? 'n/a' },
      {
        header: 'deficits (not netted)',
        cell: ({ asset, index }) => formatAmount(BigInt(body.liabilities.deficits[index]!), asset.scale),
      },
    ],
  );
  const vaults = body.reserves.vaults
    .map(
      (vault) =>
        `  ${vault.vaultId} ${vault.address} on chain ${vault.chainId} at block ${vault.blockNumber}: ${vault.controlProven ? `control proven (${vault.signatures.length} of ${vault.owners.length} owners signed, threshold ${vault.threshold})` : 'control NOT proven, not counted'}\n`,
    )
    .join('');
  return `${header}${table}Vaults:\n${vaults || '  (none)\n'}`;
}
