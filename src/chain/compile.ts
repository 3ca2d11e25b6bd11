// Compiles the Solidity sources in contracts/ with the npm solc-js compiler and keeps the ABI and bytecode in
// contracts/build/ (gitignored), keyed by a hash of the sources, the compiler and the imported packages, so a
// repeat build with nothing changed only reads one small manifest.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Abi, Hex } from 'viem';
import { ContractBuildError } from './errors.ts';

const require = createRequire(import.meta.url);

/** The repository root, two levels above this file. */
const ROOT_DIRECTORY = resolve(import.meta.dirname, '../..');
/** Where the Solidity sources live. */
export const CONTRACTS_DIRECTORY = join(ROOT_DIRECTORY, 'contracts');
/** Where the compiled artifacts go (gitignored, rebuilt on demand). */
export const BUILD_DIRECTORY = join(CONTRACTS_DIRECTORY, 'build');
const MANIFEST_PATH = join(BUILD_DIRECTORY, 'manifest.json');

/** Packages whose Solidity sources the contracts import; their versions are part of the cache key. */
const IMPORTED_PACKAGES = ['@openzeppelin/contracts', '@safe-global/safe-smart-account'] as const;

/** Compiler settings; part of the cache key. Cancun is the oldest EVM the local chain and mainnets share. */
const COMPILER_SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: true,
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const;

/** The names of the contracts this project compiles (one per source file in contracts/). */
export type ContractName = 'RingfenceGuard' | 'TestToken';

/** A compiled contract: its ABI and creation bytecode. */
export interface ContractArtifact {
  readonly contractName: string;
  readonly abi: Abi;
  readonly bytecode: Hex;
}

/** What `compileContracts` did and where the artifacts are. */
export interface CompileContractsResult {
  /** True when the cache was current and nothing was compiled. */
  readonly cached: boolean;
  /** Hash of sources, compiler version, settings and imported package versions. */
  readonly sourceHash: string;
  readonly contractNames: readonly string[];
  readonly durationMs: number;
}

export interface CompileContractsOptions {
  /** Compile even when the cache is current. */
  readonly force?: boolean;
}

interface Manifest {
  readonly sourceHash: string;
  readonly solcVersion: string;
  readonly contractNames: readonly string[];
}

interface SolcOutput {
  readonly errors?: readonly { readonly severity: string; readonly formattedMessage: string }[];
  readonly contracts?: Record<
    string,
    Record<string, { readonly abi: Abi; readonly evm: { readonly bytecode: { readonly object: string } } }>
  >;
}

/** Compiles contracts/*.sol unless the build folder already holds artifacts for exactly these inputs. */
export function compileContracts(options: CompileContractsOptions = {}): CompileContractsResult {
  const startedMs = performance.now();
  const sources = readSources();
  const sourceHash = hashInputs(sources);
  const manifest = readManifest();
  if (options.force !== true && manifest !== null && manifest.sourceHash === sourceHash) {
    return {
      cached: true,
      sourceHash,
      contractNames: manifest.contractNames,
      durationMs: elapsedMs(startedMs),
    };
  }

  const solc = require('solc') as { compile(input: string, callbacks: object): string; version(): string };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries([...sources].map(([name, content]) => [name, { content }])),
    settings: COMPILER_SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
  const failures = (output.errors ?? []).filter((entry) => entry.severity === 'error');
  if (failures.length > 0) {
    throw new ContractBuildError('Solidity compilation failed', {
      details: failures.map((entry) => entry.formattedMessage).join('\n'),
    });
  }

  const contractNames: string[] = [];
  try {
    mkdirSync(BUILD_DIRECTORY, { recursive: true });
    for (const sourceName of sources.keys()) {
      for (const [contractName, compiled] of Object.entries(output.contracts?.[sourceName] ?? {})) {
        const artifact: ContractArtifact = {
          contractName,
          abi: compiled.abi,
          bytecode: `0x${compiled.evm.bytecode.object}`,
        };
        writeAtomically(join(BUILD_DIRECTORY, `${contractName}.json`), artifact);
        contractNames.push(contractName);
      }
    }
    // The manifest goes last: a build interrupted before it is simply redone.
    writeAtomically(MANIFEST_PATH, {
      sourceHash,
      solcVersion: solc.version(),
      contractNames,
    } satisfies Manifest);
  } catch (error) {
    throw new ContractBuildError('could not write the contract build folder', {
      cause: error,
      details: BUILD_DIRECTORY,
    });
  }
  return { cached: false, sourceHash, contractNames, durationMs: elapsedMs(startedMs) };
}

/** Returns the artifact of one of our contracts, compiling first when the cache is missing or stale. */
export function loadContractArtifact(name: ContractName): ContractArtifact {
  compileContracts();
  return JSON.parse(readFileSync(join(BUILD_DIRECTORY, `${name}.json`), 'utf8')) as ContractArtifact;
}

function readSources(): Map<string, string> {
  const names = readdirSync(CONTRACTS_DIRECTORY)
    .filter((name) => name.endsWith('.sol'))
    .sort();
  return new Map(names.map((name) => [name, readFileSync(join(CONTRACTS_DIRECTORY, name), 'utf8')]));
}

function hashInputs(sources: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(COMPILER_SETTINGS));
  hash.update(packageVersion('solc'));
  for (const name of IMPORTED_PACKAGES) hash.update(`${name}@${packageVersion(name)}`);
  for (const [name, content] of sources) hash.update(`${name}\0${content}\0`);
  return hash.digest('hex');
}

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** solc-js import callback: package imports come from node_modules, anything else from contracts/. */
function findImport(path: string): { contents: string } | { error: string } {
  const packageName = IMPORTED_PACKAGES.find((name) => path.startsWith(`${name}/`));
  const file =
    packageName === undefined
      ? join(CONTRACTS_DIRECTORY, path)
      : join(dirname(require.resolve(`${packageName}/package.json`)), path.slice(packageName.length + 1));
  if (!existsSync(file)) return { error: `import not found: ${path}` };
  return { contents: readFileSync(file, 'utf8') };
}

function readManifest(): Manifest | null {
  try {
    return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Writes through a temporary file and a rename, so parallel test workers never read half a file. */
function writeAtomically(path: string, value: unknown): void {
  const temporaryPath = `${path}.${process.pid}.tmp`;
  writeFileSync(temporaryPath, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporaryPath, path);
}

function elapsedMs(startedMs: number): number {
  return Math.round(performance.now() - startedMs);
}
