// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title TestToken - an ERC-20 for tests and the demo, with configurable decimals, mintable by its deployer.
 */
contract TestToken is ERC20 {
    /// The deployer, the only account that may mint.
    address public immutable minter;
    uint8 private immutable tokenDecimals;

    /// `mint` was called by someone other than the deployer.
    error NotMinter(address caller);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        minter = msg.sender;
        tokenDecimals = decimals_;
    }

    /// The number of decimals chosen at deployment (USDC-like tokens use 6).
    function decimals() public view override returns (uint8) {
        return tokenDecimals;
    }

    /// Creates `amount` new tokens for `to`; only the deployer may mint.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }
}
