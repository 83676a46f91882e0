// The npm client's ProtobufSerializer and ProtobufDeserializer against a running
// `schemaguard serve` (a fresh registry, SCHEMAGUARD_URL, started by tests/clients/run.sh).
//
// The serializer registers what protobuf-es knows of a message's file: the file itself and each
// non-builtin import as base64-encoded FileDescriptorProtos, the import under a subject named
// after its path, referenced by name. The deserializer asks for schemas with
// ?format=serialized. The message types come from protoc (a FileDescriptorSet), as they would
// from generated code.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const sr = require('@confluentinc/schemaregistry');
const { create, createFileRegistry, fromBinary } = require('@bufbuild/protobuf');
const { FileDescriptorSetSchema, timestampFromDate } = require('@bufbuild/protobuf/wkt');

const url = process.env.SCHEMAGUARD_URL;
if (!url) throw new Error('SCHEMAGUARD_URL is not set (run tests/clients/run.sh)');

const protoDir = path.join(__dirname, 'schemas', 'proto');
const setFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sg-proto-')), 'set.bin');
execFileSync('protoc', [
  '--include_imports', `--descriptor_set_out=${setFile}`,
  `-I${protoDir}`, '-I/usr/include', path.join(protoDir, 'shop', 'order.proto'),
]);
const descriptorSet = fs.readFileSync(setFile);
fs.rmSync(path.dirname(setFile), { recursive: true });
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
const OrderEvent = registry.getMessage('shop.OrderEvent');
const Money = registry.getMessage('shop.Money');

const TOPIC = 'orders-proto';
const newClient = () => new sr.SchemaRegistryClient({
  baseURLs: [url],
  createAxiosDefaults: { timeout: 10000 },
  maxRetries: 0,
});

const order = () => create(OrderEvent, {
  orderId: 'o-1',
  total: create(Money, { currency: 'EUR', minorUnits: 4200n }),
  placedAt: timestampFromDate(new Date('2026-11-28T12:00:00Z')),
  items: ['book', 'pen'],
  status: 1,
});

const state = {};

test('the serializer registers the file and its import, and frames the payload', async () => {
  const client = newClient();
  const serializer = new sr.ProtobufSerializer(client, sr.SerdeType.VALUE,
    { autoRegisterSchemas: true, registry });
  const bytes = await serializer.serialize(TOPIC, order());
  assert.equal(bytes[0], 0, 'magic byte');
  state.id = bytes.readInt32BE(1);
  state.bytes = bytes;

  const subjects = await newClient().getAllSubjects();
  assert.ok(subjects.includes('shop/money.proto'), `subjects: ${subjects}`);
  assert.ok(subjects.includes(`${TOPIC}-value`), `subjects: ${subjects}`);

  // The value subject's schema is stored as .proto text that references the import by name.
  const latest = await newClient().getLatestSchemaMetadata(`${TOPIC}-value`);
  assert.equal(latest.id, state.id);
  assert.equal(latest.schemaType, 'PROTOBUF');
  assert.match(latest.schema, /message OrderEvent/);
  assert.match(latest.schema, /import "shop\/money\.proto"/);
  assert.deepEqual(latest.references.map((r) => [r.name, r.subject, r.version]),
    [['shop/money.proto', 'shop/money.proto', 1]]);

  // A second serializer (fresh caches) finds the same schema again: same id, no new version.
  const again = await new sr.ProtobufSerializer(newClient(), sr.SerdeType.VALUE,
    { autoRegisterSchemas: true, registry }).serialize(TOPIC, order());
  assert.equal(again.readInt32BE(1), state.id);
  assert.deepEqual(await newClient().getAllVersions(`${TOPIC}-value`), [1]);
});

test('the deserializer reads it back through ?format=serialized', async () => {
  const deserializer = new sr.ProtobufDeserializer(newClient(), sr.SerdeType.VALUE, {});
  const message = await deserializer.deserialize(TOPIC, state.bytes);
  assert.equal(message.orderId, 'o-1');
  assert.equal(message.total.currency, 'EUR');
  assert.equal(message.total.minorUnits, 4200n);
  assert.deepEqual(message.items, ['book', 'pen']);
  assert.equal(message.status, 1);
  assert.equal(Number(message.placedAt.seconds), Date.parse('2026-11-28T12:00:00Z') / 1000);
});

test('a breaking change to the message is refused by the compatibility check', async () => {
  const client = newClient();
  const latest = await client.getLatestSchemaMetadata(`${TOPIC}-value`);
  // The stored text is Confluent's printing of the descriptor the serializer sent: fully
  // qualified types, and the json_name the descriptor carries on every field.
  const retyped = latest.schema.replace(/string order_id = 1\b/, 'int64 order_id = 1');
  assert.notEqual(retyped, latest.schema);
  const candidate = { schemaType: 'PROTOBUF', schema: retyped, references: latest.references };
  assert.equal(await client.testSubjectCompatibility(`${TOPIC}-value`, candidate), false);
  const added = latest.schema.replace(/(Status status = 5[^;]*;)/, '$1\n  string note = 6;');
  assert.notEqual(added, latest.schema);
  assert.equal(await client.testSubjectCompatibility(`${TOPIC}-value`,
    { schemaType: 'PROTOBUF', schema: added, references: latest.references }), true);
});
