// The shared SARIF 2.1.0 schema (../shared/schemas, laid beside the checkout by CI) as an ajv check.
import { expect } from '@jest/globals';
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

export const sarifSchemaPath = join(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
export const hasSarifSchema = existsSync(sarifSchemaPath);

/** Asserts a document validates; the schema is compiled once per test file. */
export function sarifValidator(): (doc: unknown) => void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats the schema uses, checked without another dependency.
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  // The OASIS schema declares draft-04, which ajv 8 has no meta-schema for. It uses no keyword whose
  // meaning changed after draft-04 (no boolean exclusiveMinimum); only its top-level "id" is draft-07's
  // "$id". So it is compiled as draft-07 with that one rename, and every constraint still applies.
  const { $schema: _draft04, id, ...rest } = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as { $schema: string; id: string };
  const validate = ajv.compile({ $id: id, ...rest });
  return (doc) => {
    const ok = validate(doc);
    expect(ok ? [] : validate.errors).toEqual([]);
  };
}
