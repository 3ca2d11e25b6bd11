// The SQLite worker thread: owns the one better-sqlite3 connection and answers the store calls the
// writer thread posts, in order, so durable commits overlap with the engine applying the next batch.

import { parentPort, workerData } from 'node:worker_threads';
import { assert } from '../core/assert.ts';
import { type PackedBatch, unpackBatch } from './sqlite-batch-packing.ts';
import { SqliteStore } from './sqlite-store.ts';

/** A call posted by the writer thread. */
export interface WorkerRequest {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The answer: a result, or the error's name and message (the writer thread rebuilds a StoreError). */
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly name: string;
      readonly message: string;
      readonly details: string | null;
    };

const port = parentPort;
assert(port !== null, 'sqlite-worker runs in a worker thread');
const store = SqliteStore.open((workerData as { path: string }).path);

// better-sqlite3 is synchronous, so each call completes before the next message is handled: calls are
// answered strictly in the order they were posted.
port.on('message', (request: WorkerRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    let result: unknown;
    if (request.method === 'commitPacked') {
      const [packed, failed] = request.args as [PackedBatch | null, never[]];
      result = await store.commitText(packed === null ? null : unpackBatch(packed), failed);
    } else {
      const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
        request.method
      ];
      assert(typeof method === 'function', `store has no method ${request.method}`);
      result = await method.apply(store, [...request.args]);
    }
    return { id: request.id, ok: true, result };
  } catch (error) {
    const failure = error as Error & { details?: string | null };
    return {
      id: request.id,
      ok: false,
      name: failure.name,
      message: failure.message,
      details: failure.details ?? null,
    };
  }
}
