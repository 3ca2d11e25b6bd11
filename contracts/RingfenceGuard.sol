// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// The Safe's own interface files (LGPL-3.0) are imported, not copied, so the compiler checks that this guard
// implements exactly the ITransactionGuard that Safe 1.5.0 calls.
import {ITransactionGuard} from "@safe-global/safe-smart-account/contracts/base/GuardManager.sol";
import {IERC165} from "@safe-global/safe-smart-account/contracts/interfaces/IERC165.sol";
import {ISafe} from "@safe-global/safe-smart-account/contracts/interfaces/ISafe.sol";
import {Enum} from "@safe-global/safe-smart-account/contracts/libraries/Enum.sol";

/**
 * @title RingfenceGuard - a Safe 1.5.0 transaction guard for customer vaults that the platform cannot move alone.
 * @notice Every `execTransaction` of the bound Safe passes through `checkTransaction`, which enforces, in order:
 *         1. the caller is the bound Safe;
 *         2. no DELEGATECALL, ever (a delegatecall runs foreign code with the Safe's storage and balances);
 *         3. no gas refunds (a refund pays `gasPrice * gas` to any `refundReceiver`, an unguarded way out);
 *         4. calls to the Safe itself (owners, threshold, modules, guards, fallback handler) and to this guard
 *            (the allowlist) need the trustee among the verified signers;
 *         5. native value only to allowlisted destinations;
 *         6. ERC-20 `transfer`, `transferFrom`, `approve` and `increaseAllowance` only to allowlisted
 *            recipients or spenders, whoever signed;
 *         7. any other call data needs the trustee among the verified signers (default deny: an unknown
 *            function, such as ERC-777 `send` or ERC-677 `transferAndCall`, may move assets).
 * @dev One guard per Safe: the Safe, the trustee and the initial allowlist are fixed at deployment. The
 *      allowlist changes only through a Safe transaction the trustee co-signed (never by the trustee alone),
 *      so both the rules and the funds stay under two-party control.
 */
contract RingfenceGuard is ITransactionGuard {
    /// The Safe this guard protects; only its calls are checked and only it may change the allowlist.
    ISafe public immutable safe;
    /// The independent trustee whose signature every change of the Safe's rules needs.
    address public immutable trustee;
    /// Destinations that may receive native value, ERC-20 transfers and ERC-20 allowances.
    mapping(address => bool) public isAllowlisted;
    /// Set by `checkTransaction` for a trustee-co-signed call to this guard, cleared after execution.
    bool private allowlistChangeAuthorized;

    bytes4 private constant TRANSFER_SELECTOR = 0xa9059cbb; // transfer(address,uint256)
    bytes4 private constant TRANSFER_FROM_SELECTOR = 0x23b872dd; // transferFrom(address,address,uint256)
    bytes4 private constant APPROVE_SELECTOR = 0x095ea7b3; // approve(address,uint256)
    bytes4 private constant INCREASE_ALLOWANCE_SELECTOR = 0x39509351; // increaseAllowance(address,uint256)

    /// Emitted for every allowlist entry set at deployment or changed later.
    event AllowlistChanged(address indexed destination, bool allowed);

    /// A zero Safe or trustee address, or a zero destination in the allowlist.
    error InvalidConfiguration();
    /// `checkTransaction`, `checkAfterExecution` or `setAllowlisted` was called by someone other than the Safe.
    error CallerNotSafe(address caller);
    /// The transaction asked for a DELEGATECALL.
    error DelegateCallForbidden();
    /// The transaction asked for a gas refund (gasPrice > 0).
    error GasRefundForbidden();
    /// Native value, an ERC-20 transfer or an ERC-20 allowance to a destination not on the allowlist.
    error DestinationNotAllowlisted(address destination);
    /// A change of the Safe's rules, or an unknown call, without the trustee among the verified signers.
    error TrusteeSignatureRequired(address to, bytes4 selector);
    /// ERC-20 call data too short for its selector or with dirty address bits.
    error MalformedCallData(bytes4 selector);
    /// `setAllowlisted` outside a trustee-co-signed Safe transaction (for example from a Safe module).
    error AllowlistChangeNotAuthorized();

    constructor(ISafe safe_, address trustee_, address[] memory allowlist) {
        if (address(safe_) == address(0) || trustee_ == address(0)) revert InvalidConfiguration();
        safe = safe_;
        trustee = trustee_;
        for (uint256 i = 0; i < allowlist.length; ++i) {
            if (allowlist[i] == address(0)) revert InvalidConfiguration();
            isAllowlisted[allowlist[i]] = true;
            emit AllowlistChanged(allowlist[i], true);
        }
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
        // Safe 1.5.0 `setGuard` refuses guards without ITransactionGuard support (GS300).
        return interfaceId == type(ITransactionGuard).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc ITransactionGuard
    function checkTransaction(
        address to,
        uint256 value,
        bytes memory data,
        Enum.Operation operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address payable refundReceiver,
        bytes memory signatures,
        address msgSender
    ) external override {
        if (msg.sender != address(safe)) revert CallerNotSafe(msg.sender);
        if (operation != Enum.Operation.Call) revert DelegateCallForbidden();
        if (gasPrice != 0) revert GasRefundForbidden();
        bytes4 selector = data.length >= 4 ? bytes4(data) : bytes4(0);

        if (to == address(safe) || to == address(this)) {
            // The Safe increments its nonce before calling the guard, so this transaction used nonce - 1.
            bytes32 txHash = safe.getTransactionHash(
                to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, safe.nonce() - 1
            );
            if (!isTrusteeAmongSigners(txHash, signatures, msgSender)) revert TrusteeSignatureRequired(to, selector);
            if (to == address(this)) allowlistChangeAuthorized = true;
            return;
        }

        if (value != 0 && !isAllowlisted[to]) revert DestinationNotAllowlisted(to);
        if (data.length == 0) return;

        if (selector == TRANSFER_SELECTOR || selector == APPROVE_SELECTOR || selector == INCREASE_ALLOWANCE_SELECTOR) {
            requireAllowlisted(argumentAddress(data, 0, 68, selector));
        } else if (selector == TRANSFER_FROM_SELECTOR) {
            requireAllowlisted(argumentAddress(data, 1, 100, selector));
        } else {
            bytes32 txHash = safe.getTransactionHash(
                to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, safe.nonce() - 1
            );
            if (!isTrusteeAmongSigners(txHash, signatures, msgSender)) revert TrusteeSignatureRequired(to, selector);
        }
    }

    /// @inheritdoc ITransactionGuard
    function checkAfterExecution(bytes32, bool) external override {
        if (msg.sender != address(safe)) revert CallerNotSafe(msg.sender);
        allowlistChangeAuthorized = false;
    }

    /// Adds or removes destinations; only the Safe may call it, inside a transaction the trustee co-signed.
    function setAllowlisted(address[] calldata destinations, bool allowed) external {
        if (msg.sender != address(safe)) revert CallerNotSafe(msg.sender);
        if (!allowlistChangeAuthorized) revert AllowlistChangeNotAuthorized();
        for (uint256 i = 0; i < destinations.length; ++i) {
            if (destinations[i] == address(0)) revert InvalidConfiguration();
            isAllowlisted[destinations[i]] = allowed;
            emit AllowlistChanged(destinations[i], allowed);
        }
    }

    /**
     * @notice Whether the trustee is among the first `threshold` signatures, the only ones the Safe verified
     *         (anything appended after them is never checked by the Safe and is ignored here).
     * @dev ECDSA (v 27/28) and eth_sign (v > 30) signers are recovered exactly as the Safe does. An approved
     *      hash (v 1) counts only under the Safe's own rule: the trustee executes the transaction or has called
     *      `approveHash`. Contract signatures (v 0) never count as the trustee: the trustee is a key, and an
     *      EIP-1271 validator is code whose answer this guard cannot judge.
     */
    function isTrusteeAmongSigners(bytes32 txHash, bytes memory signatures, address msgSender) private view returns (bool) {
        uint256 threshold = safe.getThreshold();
        if (signatures.length < threshold * 65) return false;
        for (uint256 i = 0; i < threshold; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = splitSignature(signatures, i);
            address signer;
            if (v == 0) {
                continue;
            } else if (v == 1) {
                signer = address(uint160(uint256(r)));
                if (signer != msgSender && safe.approvedHashes(signer, txHash) == 0) continue;
            } else if (v > 30) {
                signer = ecrecover(keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", txHash)), v - 4, r, s);
            } else {
                signer = ecrecover(txHash, v, r, s);
            }
            if (signer == trustee) return true;
        }
        return false;
    }

    /// Splits the `index`-th 65-byte `{r}{s}{v}` entry of packed Safe signatures.
    function splitSignature(bytes memory signatures, uint256 index) private pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly ("memory-safe") {
            let position := mul(0x41, index)
            r := mload(add(signatures, add(position, 0x20)))
            s := mload(add(signatures, add(position, 0x40)))
            v := byte(0, mload(add(signatures, add(position, 0x60))))
        }
    }

    /// Reads the `index`-th ABI word of `data` after the selector as an address, refusing dirty upper bits.
    function argumentAddress(bytes memory data, uint256 index, uint256 minimumLength, bytes4 selector)
        private
        pure
        returns (address)
    {
        if (data.length < minimumLength) revert MalformedCallData(selector);
        uint256 word;
        assembly ("memory-safe") {
            word := mload(add(add(data, 0x24), mul(index, 0x20)))
        }
        if (word >> 160 != 0) revert MalformedCallData(selector);
        return address(uint160(word));
    }

    function requireAllowlisted(address destination) private view {
        if (!isAllowlisted[destination]) revert DestinationNotAllowlisted(destination);
    }
}
