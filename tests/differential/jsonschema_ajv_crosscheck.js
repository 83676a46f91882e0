#!/usr/bin/env node
// Checks SchemaGuard's JSON Schema verdicts against ajv 8 on a sample.
//
// Usage: node jsonschema_ajv_crosscheck.js SAMPLES.jsonl [--min N]
// Each line of SAMPLES.jsonl (written by jsonschema_compat_property_test with
// SG_JSONSCHEMA_SAMPLE_OUT set) is {"draft": "draft7" | "draft2019-09" | "draft2020-12",
// "schema": S, "documents": [{"document": D, "valid": our verdict}, ...]}. ajv compiles S
// (`format` as an annotation, strict mode off so that unknown keywords are ignored as the
// drafts say) and must give the same verdict for every D. Prints the counts; exits 1 on any
// disagreement, on a schema ajv cannot compile, or when fewer than N verdicts (default 1000)
// were compared, or when the sample lacks valid or invalid documents.
'use strict';

const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, 'ajv', 'node_modules');
const Ajv = require(path.join(modules, 'ajv')).default;
const Ajv2019 = require(path.join(modules, 'ajv', 'dist', '2019')).default;
const Ajv2020 = require(path.join(modules, 'ajv', 'dist', '2020')).default;

const args = process.argv.slice(2);
if (args.length < 1) {
  console.error('usage: jsonschema_ajv_crosscheck.js SAMPLES.jsonl [--min N]');
  process.exit(2);
}
let minimum = 1000;
const at = args.indexOf('--min');
if (at >= 0) minimum = Number(args[at + 1]);

const options = {strict: false, validateFormats: false, logger: false};
const engines = {
  draft7: new Ajv(options),
  'draft2019-09': new Ajv2019(options),
  'draft2020-12': new Ajv2020(options),
};

let schemas = 0, verdicts = 0, valid = 0, invalid = 0;
const problems = [];
const lines = fs.readFileSync(args[0], 'utf8').split('\n').filter((l) => l.trim() !== '');
for (const line of lines) {
  const entry = JSON.parse(line);
  const ajv = engines[entry.draft];
  if (!ajv) {
    problems.push(`no ajv engine for ${entry.draft}`);
    continue;
  }
  let validate;
  try {
    validate = ajv.compile(entry.schema);
  } catch (e) {
    problems.push(`ajv cannot compile ${JSON.stringify(entry.schema)}: ${e.message}`);
    continue;
  }
  ++schemas;
  for (const {document, valid: ours} of entry.documents) {
    ++verdicts;
    if (ours) ++valid; else ++invalid;
    const theirs = validate(document);
    if (theirs !== ours) {
      problems.push(`schema ${JSON.stringify(entry.schema)}\n  document ${JSON.stringify(document)}\n` +
                    `  SchemaGuard: ${ours ? 'valid' : 'invalid'}, ajv: ${theirs ? 'valid' : 'invalid'}` +
                    (theirs ? '' : ` (${JSON.stringify(validate.errors)})`));
    }
  }
}

console.log(`ajv cross-check: ${schemas} schemas, ${verdicts} verdicts (${valid} valid, ` +
            `${invalid} invalid), ${verdicts - problems.length} agree, ${problems.length} problems`);
for (const p of problems.slice(0, 10)) console.log(`DISAGREEMENT: ${p}`);
if (problems.length > 0) process.exit(1);
if (verdicts < minimum || valid === 0 || invalid === 0) {
  console.log(`too small a sample (need ${minimum} verdicts, both valid and invalid ones)`);
  process.exit(1);
}
