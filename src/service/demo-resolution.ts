// The demo's insolvency resolution, run without stopping the demo: a contagion simulation of a house trading
// loss against the book as it stands, and a resolution pack computed as a dry run at the journal head (a
// "simulated freeze": nothing is frozen, recorded or refused, so the rest of the demo keeps trading).

import { assert } from '../core/assert.ts';
import type { LedgerService } from './ledger-service.ts';
import type { ResolutionPackDocument } from './resolution/resolution-pack.ts';
import {
  type ComputedResolution,
  ResolutionService,
  type SimulationResult,
} from './resolution/resolution-service.ts';
import type { SegregationService } from './segregation/segregation-service.ts';

/** The built-in scenario the demo runs. */
export const DEMO_CONTAGION_SCENARIO = 'house-loss';

/** What the demo's resolution produced. */
export interface DemoResolution {
  readonly service: ResolutionService;
  readonly simulation: SimulationResult;
  readonly computed: ComputedResolution;
  readonly pack: ResolutionPackDocument;
}

/** Opens the resolution service (nothing frozen), simulates a house loss and assembles a dry-run pack. */
export async function runDemoResolution(
  ledger: LedgerService,
  segregation: SegregationService,
  firmName: string,
): Promise<DemoResolution> {
  const service = await ResolutionService.open(ledger, { segregation });
  const simulated = await service.simulate({ builtIn: DEMO_CONTAGION_SCENARIO });
  assert(simulated.ok, `the demo's contagion scenario runs: ${simulated.ok ? '' : simulated.error.code}`);
  const computed = await service.simulatedResolution();
  const pack = await service.pack(computed, { firmName });
  return { service, simulation: simulated.value, computed, pack };
}
