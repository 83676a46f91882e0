// The npm client @confluentinc/schemaregistry (version pinned in package.json) against a
// running `schemaguard serve`. Started by tests/clients/run.sh, which passes the registry's URL
// in SCHEMAGUARD_URL and gives this suite a fresh, empty registry of its own.
//
// The tests run in order and build on each other (ids are those of a fresh registry).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const sr = require('@confluentinc/schemaregistry');
const { RestService } = require('@confluentinc/schemaregistry/dist/rest-service');

const url = process.env.SCHEMAGUARD_URL;
if (!url) throw new Error('SCHEMAGUARD_URL is not set (run tests/clients/run.sh)');

const readSchema = (name) => fs.readFileSync(path.join(__dirname, 'schemas', name), 'utf8');
const V1 = readSchema('order-event-v1.avsc');
const V2_REQUIRED = readSchema('order-event-v2-required.avsc'); // the outage: no default
const V2_DEFAULT = readSchema('order-event-v2-default.avsc'); // the safe change
// Another compatible evolution, for writes refused by mode.
const WITH_NOTE = JSON.stringify({
  ...JSON.parse(V2_DEFAULT),
  fields: [...JSON.parse(V2_DEFAULT).fields, { name: 'note', type: 'string', default: '' }],
});
const avro = (schema) => ({ schemaType: 'AVRO', schema });

// A new client has empty caches, so every call really goes to the server.
const newClient = () => new sr.SchemaRegistryClient({
  baseURLs: [url],
  createAxiosDefaults: { timeout: 10000 },
  maxRetries: 0,
});

async function rejectsWith(promise, status, errorCodes) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof sr.RestError, `expected a RestError, got ${err}`);
    assert.equal(err.status, status, `HTTP status (${err.message})`);
    assert.ok([].concat(errorCodes).includes(err.errorCode),
      `error_code ${err.errorCode} not in ${errorCodes} (${err.message})`);
    return true;
  });
}

const SUBJECT = 'js-orders-value';
const state = {};

test('register returns an id; registering again returns the same id', async () => {
  const client = newClient();
  const full = await client.registerFullResponse(SUBJECT, avro(V1));
  assert.equal(full.id, 1, 'first schema in a fresh registry gets id 1');
  if (full.version !== undefined) assert.equal(full.version, 1);
  state.id1 = full.id;
  state.guid1 = full.guid;

  // Same client: served from its cache. A fresh client asks the server again.
  assert.equal(await client.register(SUBJECT, avro(V1)), 1);
  assert.equal(await newClient().register(SUBJECT, avro(V1)), 1);
  // The same schema written differently (compact JSON) is the same schema.
  const compact = JSON.stringify(JSON.parse(V1));
  assert.equal(await newClient().register(SUBJECT, avro(compact)), 1);
  assert.deepEqual(await newClient().getAllVersions(SUBJECT), [1]);
});

test('fetch the schema by id (and by guid when the server sends one)', async () => {
  const info = await newClient().getBySubjectAndId(SUBJECT, state.id1);
  assert.deepEqual(JSON.parse(info.schema), JSON.parse(V1));
  if (info.schemaType !== undefined) assert.equal(info.schemaType, 'AVRO');

  if (state.guid1 !== undefined) {
    assert.match(state.guid1, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const byGuid = await newClient().getByGuid(state.guid1);
    assert.deepEqual(JSON.parse(byGuid.schema), JSON.parse(V1));
  }
  await rejectsWith(newClient().getBySubjectAndId(SUBJECT, 999), 404, 40403);
});

test('latest version and a specific version', async () => {
  const latest = await newClient().getLatestSchemaMetadata(SUBJECT);
  assert.equal(latest.subject, SUBJECT);
  assert.equal(latest.version, 1);
  assert.equal(latest.id, state.id1);
  assert.deepEqual(JSON.parse(latest.schema), JSON.parse(V1));

  const v1 = await newClient().getSchemaMetadata(SUBJECT, 1);
  assert.equal(v1.subject, SUBJECT);
  assert.equal(v1.version, 1);
  assert.equal(v1.id, state.id1);
  assert.deepEqual(JSON.parse(v1.schema), JSON.parse(V1));

  await rejectsWith(newClient().getSchemaMetadata(SUBJECT, 7), 404, 40402);
  await rejectsWith(newClient().getLatestSchemaMetadata('js-no-such-subject'), 404, 40401);
});

test('lookup: id and version of a registered schema', async () => {
  assert.equal(await newClient().getId(SUBJECT, avro(V1)), state.id1);
  const found = await newClient().getIdFullResponse(SUBJECT, avro(V1));
  assert.equal(found.id, state.id1);
  assert.equal(found.subject, SUBJECT);
  assert.equal(found.version, 1);
  assert.equal(await newClient().getVersion(SUBJECT, avro(V1)), 1);

  await rejectsWith(newClient().getId(SUBJECT, avro(V2_DEFAULT)), 404, 40403);
  await rejectsWith(newClient().getId('js-no-such-subject', avro(V1)), 404, 40401);
});

test('compatibility: the outage change is refused under BACKWARD, the safe one passes', async () => {
  const client = newClient();
  assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');
  assert.equal(await client.testSubjectCompatibility(SUBJECT, avro(V2_REQUIRED)), false);
  assert.equal(await client.testCompatibility(SUBJECT, 1, avro(V2_REQUIRED)), false);
  assert.equal(await client.testSubjectCompatibility(SUBJECT, avro(V2_DEFAULT)), true);
  assert.equal(await client.testCompatibility(SUBJECT, 1, avro(V2_DEFAULT)), true);
  // A subject with no versions accepts anything.
  assert.equal(await client.testSubjectCompatibility('js-empty-value', avro(V2_REQUIRED)), true);

  // Registering the breaking change fails with 409 (error_code 409 before CP 8.0.4, 40901 after).
  await rejectsWith(client.register(SUBJECT, avro(V2_REQUIRED)), 409, [409, 40901]);
  assert.deepEqual(await newClient().getAllVersions(SUBJECT), [1]);

  const full = await client.registerFullResponse(SUBJECT, avro(V2_DEFAULT));
  assert.equal(full.id, 2);
  if (full.version !== undefined) assert.equal(full.version, 2);
  state.id2 = full.id;
  assert.deepEqual(await newClient().getAllVersions(SUBJECT), [1, 2]);
  const latest = await newClient().getLatestSchemaMetadata(SUBJECT);
  assert.equal(latest.version, 2);
  assert.equal(latest.id, 2);
});

test('subject and global compatibility configuration', async () => {
  const client = newClient();
  // No subject-level level yet: 40408.
  await rejectsWith(client.getCompatibility(SUBJECT), 404, 40408);

  assert.equal(await client.updateCompatibility(SUBJECT, sr.Compatibility.FULL_TRANSITIVE),
    'FULL_TRANSITIVE');
  assert.equal(await client.getCompatibility(SUBJECT), 'FULL_TRANSITIVE');
  const cfg = await client.getConfig(SUBJECT);
  assert.equal(cfg.compatibilityLevel, 'FULL_TRANSITIVE');
  // Global is untouched.
  assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');

  assert.equal(await client.updateDefaultCompatibility(sr.Compatibility.NONE), 'NONE');
  assert.equal(await client.getDefaultCompatibility(), 'NONE');
  assert.equal((await client.getDefaultConfig()).compatibilityLevel, 'NONE');
  // The subject's own FULL_TRANSITIVE still wins over the global NONE: the outage schema fails
  // against v1 (registration checks every version) ...
  assert.equal(await client.testCompatibility(SUBJECT, 1, avro(V2_REQUIRED)), false);
  await rejectsWith(client.register(SUBJECT, avro(V2_REQUIRED)), 409, [409, 40901]);
  // ... though a check against "latest" tests that one version only (Confluent's semantics for
  // /compatibility/subjects/{s}/versions/{v}), and v2 has the field, with a default.
  assert.equal(await client.testSubjectCompatibility(SUBJECT, avro(V2_REQUIRED)), true);
  // ... while a subject without its own level follows the global one.
  await client.register('js-other-value', avro(V1));
  assert.equal(await client.testSubjectCompatibility('js-other-value', avro(V2_REQUIRED)), true);

  // updateConfig/updateDefaultConfig send a ServerConfig and return the merged config.
  const put = await client.updateConfig(SUBJECT, { compatibility: 'BACKWARD_TRANSITIVE' });
  assert.equal(put.compatibility, 'BACKWARD_TRANSITIVE');
  assert.equal(await client.getCompatibility(SUBJECT), 'BACKWARD_TRANSITIVE');
  const putGlobal = await client.updateDefaultConfig({ compatibility: 'BACKWARD' });
  assert.equal(putGlobal.compatibility, 'BACKWARD');
  assert.equal(await client.getDefaultCompatibility(), 'BACKWARD');

  await rejectsWith(client.updateCompatibility(SUBJECT, 'SIDEWAYS'), 422, 42203);
});

test('mode through the client\'s own RestService (the client has no mode API)', async () => {
  const rest = new RestService([url], false, { timeout: 10000 }, undefined, undefined, 0);
  assert.deepEqual((await rest.handleRequest('/mode', 'GET')).data, { mode: 'READWRITE' });
  assert.deepEqual((await rest.handleRequest('/mode/js-orders-value', 'PUT', { mode: 'READONLY' })).data,
    { mode: 'READONLY' });
  assert.deepEqual((await rest.handleRequest('/mode/js-orders-value', 'GET')).data, { mode: 'READONLY' });
  // Re-registering what is there still answers (lookup shortcut); a new version is refused.
  assert.equal(await newClient().register(SUBJECT, avro(V1)), state.id1);
  await rejectsWith(newClient().register(SUBJECT, avro(WITH_NOTE)), 422, 42205);
  assert.deepEqual((await rest.handleRequest('/mode/js-orders-value', 'PUT', { mode: 'READWRITE' })).data,
    { mode: 'READWRITE' });
  await rejectsWith(rest.handleRequest('/mode', 'PUT', { mode: 'SIDEWAYS' }), 422, 42204);
});

test('list subjects and versions', async () => {
  const client = newClient();
  assert.deepEqual(await client.getAllSubjects(), ['js-orders-value', 'js-other-value']);
  assert.deepEqual(await client.getAllVersions(SUBJECT), [1, 2]);
  await rejectsWith(client.getAllVersions('js-no-such-subject'), 404, 40401);
});

test('delete a version and a subject, soft then permanent', async () => {
  // Version 2: soft delete, then permanent.
  await rejectsWith(newClient().deleteSubjectVersion(SUBJECT, 2, true), 404, 40407);
  assert.equal(await newClient().deleteSubjectVersion(SUBJECT, 2), 2);
  assert.deepEqual(await newClient().getAllVersions(SUBJECT), [1]);
  assert.equal((await newClient().getLatestSchemaMetadata(SUBJECT)).version, 1);
  await rejectsWith(newClient().getSchemaMetadata(SUBJECT, 2), 404, 40402);
  const deletedV2 = await newClient().getSchemaMetadata(SUBJECT, 2, true);
  assert.equal(deletedV2.version, 2);
  assert.equal(deletedV2.id, state.id2);
  // A soft-deleted version's id stays readable for consumers.
  const byId = await newClient().getBySubjectAndId(SUBJECT, state.id2);
  assert.deepEqual(JSON.parse(byId.schema), JSON.parse(V2_DEFAULT));
  await rejectsWith(newClient().deleteSubjectVersion(SUBJECT, 2), 404, 40406);
  assert.equal(await newClient().deleteSubjectVersion(SUBJECT, 2, true), 2);
  await rejectsWith(newClient().getSchemaMetadata(SUBJECT, 2, true), 404, 40402);

  // The subject: permanent first is refused, then soft, then permanent.
  await rejectsWith(newClient().deleteSubject(SUBJECT, true), 404, 40405);
  assert.deepEqual(await newClient().deleteSubject(SUBJECT), [1]);
  assert.deepEqual(await newClient().getAllSubjects(), ['js-other-value']);
  await rejectsWith(newClient().getAllVersions(SUBJECT), 404, 40401);
  await rejectsWith(newClient().deleteSubject(SUBJECT), 404, 40404);
  assert.deepEqual(await newClient().deleteSubject(SUBJECT, true), [1]);
  await rejectsWith(newClient().deleteSubject(SUBJECT, true), 404, 40401);
  // id 1 is still used by js-other-value; id 2 is gone with its last version.
  const still = await newClient().getBySubjectAndId('js-other-value', state.id1);
  assert.deepEqual(JSON.parse(still.schema), JSON.parse(V1));
  await rejectsWith(newClient().getBySubjectAndId(SUBJECT, state.id2), 404, 40403);
});

// The serializers use the ASSOCIATED subject name strategy by default: they first ask
// GET /associations/resources/-/{topic}?resourceType=topic&associationType=value and fall back
// to TopicNameStrategy on a 404 (dist/serde/serde.js, AssociatedNameStrategy). Record what
// the server answered to each probe.
function watchAssociations(client) {
  const probes = [];
  const original = client.getAssociationsByResourceName.bind(client);
  client.getAssociationsByResourceName = async (...args) => {
    try {
      const result = await original(...args);
      probes.push({ args, result });
      return result;
    } catch (err) {
      probes.push({ args, status: err.status, errorCode: err.errorCode });
      throw err;
    }
  };
  return probes;
}

function assertProbedAndFellBack(probes, topic) {
  assert.ok(probes.length > 0, 'the serde asked the associations endpoint first');
  for (const p of probes) {
    assert.deepEqual(p.args.slice(0, 4), [topic, '-', 'topic', ['value']]);
    // Either answer makes the client fall back to TopicNameStrategy.
    assert.ok(p.status === 404 || (Array.isArray(p.result) && p.result.length === 0),
      `associations probe answered ${JSON.stringify(p)}`);
  }
}

// avsc decodes records into instances of generated classes; compare their fields.
const fields = (record) => ({ ...record });

const ORDER = {
  order_id: 'o-1001',
  customer_id: 'c-42',
  total_cents: 129900,
  created_at: 1767225600000,
};

test('serializer/deserializer round trip with auto-registration', async () => {
  const client = newClient();
  const probes = watchAssociations(client);
  const topic = 'js-inferred';
  const ser = new sr.AvroSerializer(client, sr.SerdeType.VALUE, { autoRegisterSchemas: true });
  const bytes = await ser.serialize(topic, { sku: 'ABC-1', quantity: 3 });
  assert.equal(bytes[0], 0, 'magic byte');
  const id = bytes.readInt32BE(1);

  // The serializer registered the schema it derived from the value under topic-value.
  const reg = await newClient().getLatestSchemaMetadata(`${topic}-value`);
  assert.equal(reg.id, id);
  assert.equal(reg.version, 1);
  const schema = JSON.parse(reg.schema);
  assert.equal(schema.type, 'record');
  assert.deepEqual(schema.fields.map((f) => f.name), ['sku', 'quantity']);

  const de = new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {});
  assert.deepEqual(fields(await de.deserialize(topic, bytes)), { sku: 'ABC-1', quantity: 3 });
  assertProbedAndFellBack(probes, topic);
});

test('producer on v1, consumer decodes with the evolved reader schema (latest = v2)', async () => {
  const topic = 'js-shop';
  const subject = `${topic}-value`;
  const admin = newClient();
  const id1 = await admin.register(subject, avro(V1));

  // Producer: the registered v1 (useLatestVersion, no auto-registration).
  const producerClient = newClient();
  const producerProbes = watchAssociations(producerClient);
  const ser = new sr.AvroSerializer(producerClient, sr.SerdeType.VALUE,
    { autoRegisterSchemas: false, useLatestVersion: true });
  const bytes = await ser.serialize(topic, ORDER);
  assert.equal(bytes[0], 0, 'magic byte');
  assert.equal(bytes.readInt32BE(1), id1, 'schema id after the magic byte');
  assertProbedAndFellBack(producerProbes, topic);

  // Producer pinned to an id (useSchemaId: GET /schemas/ids/{id}?subject= then lookup).
  const pinned = new sr.AvroSerializer(newClient(), sr.SerdeType.VALUE,
    { autoRegisterSchemas: false, useSchemaId: id1 });
  assert.deepEqual(await pinned.serialize(topic, ORDER), bytes);

  // A producer that auto-registers what it derives from its values (a record "Record1" with
  // the new required field) is refused: the registry will not take an incompatible schema.
  const breaking = new sr.AvroSerializer(newClient(), sr.SerdeType.VALUE, { autoRegisterSchemas: true });
  await rejectsWith(breaking.serialize(topic, { ...ORDER, shipping_method: 'EXPRESS' }), 409, [409, 40901]);

  // The safe evolution is registered as v2.
  const id2 = await admin.register(subject, avro(V2_DEFAULT));
  assert.notEqual(id2, id1);

  // A consumer with the writer's schema gets the record back as written.
  const plain = new sr.AvroDeserializer(newClient(), sr.SerdeType.VALUE, {});
  assert.deepEqual(fields(await plain.deserialize(topic, bytes)), ORDER);

  // A consumer reading with the latest (v2) schema gets the default for the new field.
  const consumerClient = newClient();
  const consumerProbes = watchAssociations(consumerClient);
  const evolved = new sr.AvroDeserializer(consumerClient, sr.SerdeType.VALUE, { useLatestVersion: true });
  assert.deepEqual(fields(await evolved.deserialize(topic, bytes)), { ...ORDER, shipping_method: 'STANDARD' });
  assertProbedAndFellBack(consumerProbes, topic);

  // And a v2 producer's messages carry id2.
  const ser2 = new sr.AvroSerializer(newClient(), sr.SerdeType.VALUE,
    { autoRegisterSchemas: false, useLatestVersion: true });
  const bytes2 = await ser2.serialize(topic, { ...ORDER, shipping_method: 'EXPRESS' });
  assert.equal(bytes2.readInt32BE(1), id2);
  assert.deepEqual(fields(await evolved.deserialize(topic, bytes2)), { ...ORDER, shipping_method: 'EXPRESS' });
});
