// The public surface of the chain layer (EVM access through viem): what service, cli and tests may use.
// Only src/chain imports viem, hardhat or solc.

export {
  type ChainAdapter,
  createChainAdapter,
  type ReadVaultBalancesInput,
  type VaultAsset,
  type VaultBalance,
  type VaultBalances,
} from './chain-adapter.ts';
export {
  BUILD_DIRECTORY,
  CONTRACTS_DIRECTORY,
  type CompileContractsOptions,
  type CompileContractsResult,
  type ContractArtifact,
  type ContractName,
  compileContracts,
  loadContractArtifact,
} from './compile.ts';
export {
  ringfenceGuardAbi,
  safeAbi,
  safeExecutionAbi,
  safeProxyFactoryAbi,
  testTokenAbi,
} from './contract-abis.ts';
export {
  type ContractRejection,
  type ContractRejectionCode,
  GUARD_REJECTION_CODES,
  SAFE_REVERT_CODES,
  toContractRejection,
} from './contract-rejection.ts';
export {
  type CreateCustodyVaultInput,
  CUSTODY_VAULT_THRESHOLD,
  type CustodyVault,
  type CustodyVaultOwners,
  createCustodyVault,
} from './custody-vault.ts';
export {
  DEPOSIT_BATCH_BLOCKS_DEFAULT,
  type Deposit,
  type DepositBatch,
  type DepositBatchHandler,
  type DepositCursor,
  type DepositWatcherConfig,
  depositTransferId,
  type ScanDepositsResult,
  scanDeposits,
  type WatchDepositsInput,
  watchDeposits,
} from './deposit-watcher.ts';
export {
  type DeployTestTokenInput,
  deployTestToken,
  encodeTokenApprove,
  encodeTokenTransfer,
  mintTestToken,
  readTokenBalance,
  readTokenDecimals,
  type TokenTransferInput,
  transferToken,
} from './erc20.ts';
export {
  ChainError,
  type ChainErrorOptions,
  ChainReorgTooDeepError,
  ChainRequestError,
  ChainTransactionError,
  ChainUnreachableError,
  ContractBuildError,
  isChainUnreachable,
  toChainError,
} from './errors.ts';
export {
  LOCAL_ACCOUNT_BALANCE_WEI,
  LOCAL_ACCOUNT_COUNT_DEFAULT,
  LOCAL_CHAIN_ID,
  type LocalChain,
  localAccountPrivateKey,
  localChainDefinition,
  type StartLocalChainOptions,
  startLocalChain,
} from './local-chain.ts';
export {
  type DeployRingfenceGuardInput,
  deployRingfenceGuard,
  encodeSetAllowlisted,
  encodeSetGuard,
  readAllowlisted,
} from './ringfence-guard.ts';
export {
  type CreateSafeInput,
  createSafe,
  deploySafeInfrastructure,
  type ExecuteSafeTransactionInput,
  executeSafeTransaction,
  loadSafeArtifact,
  readSafeGuard,
  readSafeNonce,
  readSafeTransactionHash,
  SAFE_GUARD_STORAGE_SLOT,
  SAFE_VERSION,
  type SafeInfrastructure,
  type SignAndExecuteInput,
  type SignAndExecuteResult,
  signAndExecuteSafeTransaction,
} from './safe.ts';
export {
  type BuildSafeTransactionInput,
  buildSafeTransaction,
  encodeSafeSignatures,
  hashSafeDomain,
  hashSafeTransaction,
  hashSafeTransactionStruct,
  SAFE_TX_TYPES,
  type SafeDomain,
  SafeOperation,
  type SafeSignature,
  type SafeTransaction,
  signSafeTransactionHash,
} from './safe-tx.ts';
export {
  type ChainWriter,
  confirmTransaction,
  type DeployContractInput,
  deployContract,
  type WriteResult,
  writeAndConfirm,
  writeAndConfirmOrThrow,
} from './transactions.ts';
