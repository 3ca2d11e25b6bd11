// Typed ABI fragments (viem `parseAbi`) of the contracts the chain layer calls: the Safe, its proxy factory, the
// Ringfence guard and the test token. Fragments, not whole ABIs, so call sites are type-checked; a test checks
// each fragment against the compiled or published artifact.

import { parseAbi } from 'viem';

/** The Safe 1.5.0 functions, events and revert shape this project uses. */
export const safeAbi = parseAbi([
  'function setup(address[] _owners, uint256 _threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver)',
  'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)',
  'function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)',
  'function domainSeparator() view returns (bytes32)',
  'function nonce() view returns (uint256)',
  'function getThreshold() view returns (uint256)',
  'function getOwners() view returns (address[])',
  'function isOwner(address owner) view returns (bool)',
  'function isModuleEnabled(address module) view returns (bool)',
  'function VERSION() view returns (string)',
  'function getStorageAt(uint256 offset, uint256 length) view returns (bytes)',
  'function approveHash(bytes32 hashToApprove)',
  'function execTransactionFromModule(address to, uint256 value, bytes data, uint8 operation) returns (bool success)',
  'function setGuard(address guard)',
  'function setModuleGuard(address moduleGuard)',
  'function setFallbackHandler(address handler)',
  'function enableModule(address module)',
  'function disableModule(address prevModule, address module)',
  'function addOwnerWithThreshold(address owner, uint256 _threshold)',
  'function removeOwner(address prevOwner, address owner, uint256 _threshold)',
  'function swapOwner(address prevOwner, address oldOwner, address newOwner)',
  'function changeThreshold(uint256 _threshold)',
  'event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)',
  'event ExecutionFailure(bytes32 indexed txHash, uint256 payment)',
  'event ChangedGuard(address indexed guard)',
]);

/** The SafeProxyFactory 1.5.0 function and event used to create Safes. */
export const safeProxyFactoryAbi = parseAbi([
  'function createProxyWithNonce(address _singleton, bytes initializer, uint256 saltNonce) returns (address proxy)',
  'event ProxyCreation(address indexed proxy, address singleton)',
]);

/** The RingfenceGuard (contracts/RingfenceGuard.sol) interface: reads, allowlist change, errors, events. */
export const ringfenceGuardAbi = parseAbi([
  'constructor(address safe_, address trustee_, address[] allowlist)',
  'function safe() view returns (address)',
  'function trustee() view returns (address)',
  'function isAllowlisted(address destination) view returns (bool)',
  'function setAllowlisted(address[] destinations, bool allowed)',
  'function supportsInterface(bytes4 interfaceId) view returns (bool)',
  'function checkTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures, address msgSender)',
  'function checkAfterExecution(bytes32 hash, bool success)',
  'event AllowlistChanged(address indexed destination, bool allowed)',
  'error InvalidConfiguration()',
  'error CallerNotSafe(address caller)',
  'error DelegateCallForbidden()',
  'error GasRefundForbidden()',
  'error DestinationNotAllowlisted(address destination)',
  'error TrusteeSignatureRequired(address to, bytes4 selector)',
  'error MalformedCallData(bytes4 selector)',
  'error AllowlistChangeNotAuthorized()',
]);

/** The TestToken (contracts/TestToken.sol) ERC-20 plus its mint and the OpenZeppelin 5 errors. */
export const testTokenAbi = parseAbi([
  'constructor(string name_, string symbol_, uint8 decimals_)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function transfer(address to, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function approve(address spender, uint256 value) returns (bool)',
  'function mint(address to, uint256 amount)',
  'function minter() view returns (address)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
  'error NotMinter(address caller)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
]);

/** The Safe ABI plus the errors its guard and a token can revert with, so `execTransaction` reverts decode. */
export const safeExecutionAbi = [
  ...safeAbi,
  ...ringfenceGuardAbi.filter((item) => item.type === 'error'),
  ...testTokenAbi.filter((item) => item.type === 'error'),
] as const;
