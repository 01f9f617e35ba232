// Torn's own OpenAPI document (the `tornapi-typescript` package ships it) as a strict validator: what
// the simulator sends and what the reality corpus records are both checked against it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import _Ajv2020 from 'ajv/dist/2020.js';
import { type ValidateFunction } from 'ajv';

// ajv is CommonJS: under NodeNext its default import is the module object, whose `default` is the class.
const Ajv2020 = _Ajv2020.default ?? _Ajv2020;

const SPEC_ID = 'https://torn.local/openapi.json';
const specPath = createRequire(import.meta.url).resolve('tornapi-typescript/dist/openapi.json');
export const spec = JSON.parse(readFileSync(specPath, 'utf8'));

/**
 * Prepares the spec's schemas for strict validation:
 * - `oneOf` becomes `anyOf`. The spec writes enums as `oneOf: [{enum: [...]}, {type: "string"}]`
 *   ("one of these, or any string"); a value in the enum matches both branches, which `oneOf`
 *   rejects. The intent is "either", which is `anyOf`.
 * - objects with `properties` get `additionalProperties: false`, so a misspelt or invented field in
 *   the simulator fails here instead of passing silently (the spec lists every field Torn sends).
 */
function prepare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepare);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k === 'oneOf' ? 'anyOf' : k] = prepare(v);
  if (out.properties && typeof out.properties === 'object' && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

export const ajv = new Ajv2020({ strict: false, allErrors: true });
const int = (bits: number) => (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1);
ajv.addFormat('int32', { type: 'number', validate: int(32) });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('float', { type: 'number', validate: () => true });
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
// Only `components` is a schema document; `$ref`s such as "#/components/schemas/X" resolve against this $id.
ajv.addSchema({ $id: SPEC_ID, components: prepare(spec.components) });

export function responseValidator(specPathKey: string): ValidateFunction {
  const op = spec.paths[specPathKey]?.get;
  assert.ok(op, `the spec has GET ${specPathKey}`);
  const ref: string = op.responses['200'].content['application/json'].schema.$ref;
  return ajv.compile({ $ref: SPEC_ID + ref });
}

// The spec has no wrapper for error bodies: `ApiError` is the inner object, sent as {"error": ApiError}.
export const errorValidator = ajv.compile({
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: { error: { $ref: `${SPEC_ID}#/components/schemas/ApiError` } },
});

export function assertValid(validate: ValidateFunction, body: unknown, what: string): void {
  const ok = validate(body);
  assert.ok(ok, `${what} does not match the spec: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}
