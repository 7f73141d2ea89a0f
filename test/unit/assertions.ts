// Assertions shared by the unit tests.
import assert from 'node:assert/strict';
import { WanError, type WanErrorKind } from '../../src/wan/errors';
import { validateParams, type GenerationParams } from '../../src/wan/params';

/** Asserts the promise rejects with a WanError (of `kind`, when given) and returns it for further checks. */
export async function failure(promise: Promise<unknown>, kind?: WanErrorKind): Promise<WanError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof WanError, `expected a WanError, got ${String(caught)}`);
  if (kind) assert.equal(caught.kind, kind, caught.message);
  return caught;
}

/** Asserts `input` passes validateParams (naming its problems otherwise) and returns the parameters. */
export function validParams(input: Parameters<typeof validateParams>[0]): GenerationParams {
  const result = validateParams(input);
  assert.ok(result.params, JSON.stringify(result.problems));
  return result.params;
}
