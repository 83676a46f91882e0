// ajv's side of the JSON Schema validation benchmark (bench/jsonschema/compare.sh).
//
// Usage: node ajv_bench.js SCHEMA.json DOCS.jsonl [--seconds S]
//
// Picks Ajv's class by the schema's $schema (draft-07, 2019-09 or 2020-12), with `format`
// as an annotation (validateFormats: false), as SchemaGuard's validator does by default; every
// document is parsed (JSON.parse) before any timing. Then, timed with process.hrtime:
//   compile_us: a fresh Ajv instance compiling the schema, the median of 50 compilations;
//   validations: the compiled function over the documents, round after round, for at least
//   S seconds (default 3) after a one-second warm-up, each round timed on its own.
// Prints one JSON object: docs, valid, docs_per_s (all rounds), best_docs_per_s (the fastest
// round), mb_per_s (document bytes as in the file), compile_us.
'use strict';

const fs = require('node:fs');
const Ajv = require('ajv');
const Ajv2019 = require('ajv/dist/2019');
const Ajv2020 = require('ajv/dist/2020');

const [schemaPath, docsPath, ...rest] = process.argv.slice(2);
if (!schemaPath || !docsPath) {
  console.error('usage: node ajv_bench.js SCHEMA.json DOCS.jsonl [--seconds S]');
  process.exit(2);
}
const seconds = rest[0] === '--seconds' ? Number(rest[1]) : 3;

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const lines = fs.readFileSync(docsPath, 'utf8').split('\n').filter((line) => line.length > 0);
const docs = lines.map((line) => JSON.parse(line));
const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);

const draft = String(schema.$schema || '');
const AjvClass = draft.includes('2020-12') ? Ajv2020 : draft.includes('2019-09') ? Ajv2019 : Ajv;
const options = { allErrors: false, validateFormats: false, strict: false };
const compile = () => new AjvClass(options).compile(schema);

const compileTimes = [];
for (let i = 0; i < 50; ++i) {
  const start = process.hrtime.bigint();
  compile();
  compileTimes.push(Number(process.hrtime.bigint() - start) / 1000);
}
compileTimes.sort((a, b) => a - b);

const validate = compile();
let valid = 0;
for (const doc of docs) valid += validate(doc) ? 1 : 0;

const run = (limitNs) => {
  let rounds = 0;
  let bestNs = Infinity;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    const roundStart = process.hrtime.bigint();
    for (const doc of docs) validate(doc);
    const now = process.hrtime.bigint();
    bestNs = Math.min(bestNs, Number(now - roundStart));
    ++rounds;
    elapsed = now - start;
  } while (elapsed < limitNs);
  return { rounds, seconds: Number(elapsed) / 1e9, bestNs };
};
run(1_000_000_000n);
const { rounds, seconds: took, bestNs } = run(BigInt(Math.round(seconds * 1e9)));
console.log(JSON.stringify({
  validator: `ajv ${require('ajv/package.json').version}`,
  docs: docs.length,
  valid,
  docs_per_s: Math.round((rounds * docs.length) / took),
  best_docs_per_s: Math.round(docs.length / (bestNs / 1e9)),
  mb_per_s: Number(((rounds * bytes) / took / 1e6).toFixed(1)),
  compile_us: Number(compileTimes[25].toFixed(1)),
}));
