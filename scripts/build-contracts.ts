// Compiles contracts/*.sol into contracts/build/ (skipped when the cache is current); `--force` rebuilds.
// Run by `npm run build:contracts` and before `npm test`; the chain module also compiles on demand.

import { compileContracts } from '../src/chain/compile.ts';

const result = compileContracts({ force: process.argv.includes('--force') });
console.log(
  `${result.cached ? 'contracts up to date' : 'compiled'} (${result.contractNames.join(', ')}) in ${result.durationMs} ms`,
);
