"""Debian's python3-confluent-kafka against a running `schemaguard serve`.

Run by tests/clients/run.sh with /usr/bin/python3 (Debian's python, which sees the Debian
packages), SCHEMAGUARD_URL set to a fresh, empty registry of this suite's own.

Two clients from that package are used:
  * confluent_kafka.schema_registry.SchemaRegistryClient (the current API) for register, fetch,
    lookup, compatibility, config, listing and deletes;
  * confluent_kafka.avro (CachedSchemaRegistryClient + MessageSerializer, on python3-avro) for
    the serializer round trip. The current API's AvroSerializer needs fastavro, which Debian 12
    does not package: that test runs only where fastavro is importable.

The tests run in order (test_NN_...) and build on each other (ids are those of a fresh registry).
"""

import datetime
import io
import json
import os
import struct
import unittest

import avro.io
import avro.schema
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro import loads as avro_loads
from confluent_kafka.avro.error import ClientError
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

URL = os.environ.get("SCHEMAGUARD_URL")
HERE = os.path.dirname(os.path.abspath(__file__))


def read_schema(name):
    with open(os.path.join(HERE, "schemas", name), encoding="utf-8") as f:
        return f.read()


V1 = read_schema("order-event-v1.avsc")
V2_REQUIRED = read_schema("order-event-v2-required.avsc")  # the outage: no default
V2_DEFAULT = read_schema("order-event-v2-default.avsc")  # the safe change
WITH_NOTE = json.dumps(dict(json.loads(V2_DEFAULT), fields=json.loads(V2_DEFAULT)["fields"]
                            + [{"name": "note", "type": "string", "default": ""}]))
SUBJECT = "py-orders-value"

ORDER = {
    "order_id": "o-1001",
    "customer_id": "c-42",
    "total_cents": 129900,
    "created_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
}


def avro_schema(text):
    return Schema(text, "AVRO")


def new_client():
    """A client with empty caches, so every call really goes to the server."""
    return SchemaRegistryClient({"url": URL})


class PythonClientTest(unittest.TestCase):
    state = {}

    @classmethod
    def setUpClass(cls):
        if not URL:
            raise RuntimeError("SCHEMAGUARD_URL is not set (run tests/clients/run.sh)")

    def assert_sr_error(self, status, codes, fn, *args, **kwargs):
        with self.assertRaises(SchemaRegistryError) as cm:
            fn(*args, **kwargs)
        err = cm.exception
        codes = codes if isinstance(codes, (list, tuple)) else [codes]
        self.assertEqual(err.http_status_code, status, str(err))
        self.assertIn(err.error_code, codes, str(err))
        return err

    def assert_same_schema(self, text, expected_text):
        self.assertEqual(json.loads(text), json.loads(expected_text))

    def test_01_register_and_register_again(self):
        client = new_client()
        schema_id = client.register_schema(SUBJECT, avro_schema(V1))
        self.assertEqual(schema_id, 1, "first schema in a fresh registry gets id 1")
        self.state["id1"] = schema_id
        # Same client: its cache. Fresh clients: the server, with the text as given and compact.
        self.assertEqual(client.register_schema(SUBJECT, avro_schema(V1)), 1)
        self.assertEqual(new_client().register_schema(SUBJECT, avro_schema(V1)), 1)
        compact = json.dumps(json.loads(V1), separators=(",", ":"))
        self.assertEqual(new_client().register_schema(SUBJECT, avro_schema(compact)), 1)
        self.assertEqual(new_client().get_versions(SUBJECT), [1])

    def test_02_get_schema_by_id(self):
        schema = new_client().get_schema(self.state["id1"])
        self.assertEqual(schema.schema_type, "AVRO")
        self.assertEqual(schema.references, [])
        self.assert_same_schema(schema.schema_str, V1)
        self.assert_sr_error(404, 40403, new_client().get_schema, 999)

    def test_03_latest_and_specific_version(self):
        latest = new_client().get_latest_version(SUBJECT)
        self.assertEqual(latest.subject, SUBJECT)
        self.assertEqual(latest.version, 1)
        self.assertEqual(latest.schema_id, self.state["id1"])
        self.assertEqual(latest.schema.schema_type, "AVRO")
        self.assert_same_schema(latest.schema.schema_str, V1)

        v1 = new_client().get_version(SUBJECT, 1)
        self.assertEqual((v1.subject, v1.version, v1.schema_id), (SUBJECT, 1, self.state["id1"]))
        self.assert_same_schema(v1.schema.schema_str, V1)

        self.assert_sr_error(404, 40402, new_client().get_version, SUBJECT, 7)
        self.assert_sr_error(404, 40401, new_client().get_latest_version, "py-no-such-subject")

    def test_04_lookup(self):
        found = new_client().lookup_schema(SUBJECT, avro_schema(V1))
        self.assertEqual(found.schema_id, self.state["id1"])
        self.assertEqual(found.subject, SUBJECT)
        self.assertEqual(found.version, 1)
        self.assert_same_schema(found.schema.schema_str, V1)

        self.assert_sr_error(404, 40403, new_client().lookup_schema, SUBJECT, avro_schema(V2_DEFAULT))
        self.assert_sr_error(404, 40401, new_client().lookup_schema, "py-no-such-subject",
                             avro_schema(V1))

    def test_05_compatibility(self):
        client = new_client()
        self.assertEqual(client.get_compatibility(), "BACKWARD")
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_REQUIRED)), False)
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_REQUIRED), version=1), False)
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_DEFAULT)), True)
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_DEFAULT), version=1), True)
        self.assertIs(client.test_compatibility("py-empty-value", avro_schema(V2_REQUIRED)), True)

        # The breaking change: 409 (error_code 409 before CP 8.0.4, 40901 after).
        self.assert_sr_error(409, [409, 40901], client.register_schema, SUBJECT,
                             avro_schema(V2_REQUIRED))
        self.assertEqual(new_client().get_versions(SUBJECT), [1])

        schema_id = client.register_schema(SUBJECT, avro_schema(V2_DEFAULT))
        self.assertEqual(schema_id, 2)
        self.state["id2"] = schema_id
        self.assertEqual(new_client().get_versions(SUBJECT), [1, 2])
        latest = new_client().get_latest_version(SUBJECT)
        self.assertEqual((latest.version, latest.schema_id), (2, 2))

    def test_06_config(self):
        client = new_client()
        self.assert_sr_error(404, 40408, client.get_compatibility, SUBJECT)

        # (The client upper-cases the level it sends.)
        self.assertEqual(client.set_compatibility(SUBJECT, "full_transitive"),
                         {"compatibility": "FULL_TRANSITIVE"})
        self.assertEqual(client.get_compatibility(SUBJECT), "FULL_TRANSITIVE")
        self.assertEqual(client.get_compatibility(), "BACKWARD")

        self.assertEqual(client.set_compatibility(level="NONE"), {"compatibility": "NONE"})
        self.assertEqual(client.get_compatibility(), "NONE")
        # The subject's own FULL_TRANSITIVE wins over the global NONE: the outage schema fails
        # against v1 (registration checks every version), though a check against "latest"
        # tests that one version only (Confluent's semantics), and v2 has the field with a
        # default. A subject without a level of its own follows the global one.
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_REQUIRED), version=1), False)
        self.assert_sr_error(409, [409, 40901], new_client().register_schema, SUBJECT,
                             avro_schema(V2_REQUIRED))
        self.assertIs(client.test_compatibility(SUBJECT, avro_schema(V2_REQUIRED)), True)
        client.register_schema("py-other-value", avro_schema(V1))
        self.assertIs(client.test_compatibility("py-other-value", avro_schema(V2_REQUIRED)), True)

        self.assertEqual(client.set_compatibility(SUBJECT, "BACKWARD_TRANSITIVE"),
                         {"compatibility": "BACKWARD_TRANSITIVE"})
        self.assertEqual(client.get_compatibility(SUBJECT), "BACKWARD_TRANSITIVE")
        self.assertEqual(client.set_compatibility(level="BACKWARD"), {"compatibility": "BACKWARD"})
        self.assertEqual(client.get_compatibility(), "BACKWARD")

        self.assert_sr_error(422, 42203, client.set_compatibility, SUBJECT, "SIDEWAYS")

        # The legacy client reads and writes the same config (it knows only the four
        # non-transitive levels, so it sets FULL and the current client restores the level).
        legacy = CachedSchemaRegistryClient({"url": URL})
        self.assertEqual(legacy.get_compatibility(), "BACKWARD")
        self.assertEqual(legacy.update_compatibility("FULL", SUBJECT), "FULL")
        self.assertEqual(legacy.get_compatibility(SUBJECT), "FULL")
        self.assertEqual(new_client().get_compatibility(SUBJECT), "FULL")
        self.assertEqual(client.set_compatibility(SUBJECT, "BACKWARD_TRANSITIVE"),
                         {"compatibility": "BACKWARD_TRANSITIVE"})

    def test_07_mode(self):
        # python3-confluent-kafka 1.7.0 has no mode API: use the client's own REST layer.
        rest = new_client()._rest_client
        self.assertEqual(rest.get("mode"), {"mode": "READWRITE"})
        self.assertEqual(rest.put("mode/" + SUBJECT, {"mode": "READONLY"}), {"mode": "READONLY"})
        self.assertEqual(rest.get("mode/" + SUBJECT), {"mode": "READONLY"})
        # Re-registering what is there still answers (lookup shortcut); a new version is refused.
        self.assertEqual(new_client().register_schema(SUBJECT, avro_schema(V1)), self.state["id1"])
        self.assert_sr_error(422, 42205, new_client().register_schema, SUBJECT,
                             avro_schema(WITH_NOTE))
        self.assertEqual(rest.put("mode/" + SUBJECT, {"mode": "READWRITE"}), {"mode": "READWRITE"})
        self.assert_sr_error(422, 42204, rest.put, "mode", {"mode": "SIDEWAYS"})

    def test_08_list_subjects_and_versions(self):
        client = new_client()
        self.assertEqual(client.get_subjects(), ["py-orders-value", "py-other-value"])
        self.assertEqual(client.get_versions(SUBJECT), [1, 2])
        self.assert_sr_error(404, 40401, client.get_versions, "py-no-such-subject")

    def test_09_delete_version_and_subject(self):
        client = new_client()
        self.assertEqual(client.delete_version(SUBJECT, 2), 2)
        self.assertEqual(client.get_versions(SUBJECT), [1])
        self.assertEqual(client.get_latest_version(SUBJECT).version, 1)
        self.assert_sr_error(404, 40402, client.get_version, SUBJECT, 2)
        # A soft-deleted version's id stays readable for consumers.
        self.assert_same_schema(new_client().get_schema(self.state["id2"]).schema_str, V2_DEFAULT)
        self.assert_sr_error(404, 40406, client.delete_version, SUBJECT, 2)

        # delete_subject(permanent=True) sends the soft delete, then the permanent one.
        self.assertEqual(client.delete_subject(SUBJECT, permanent=True), [1])
        self.assertEqual(client.get_subjects(), ["py-other-value"])
        self.assert_sr_error(404, 40401, client.get_versions, SUBJECT)
        self.assert_sr_error(404, 40401, client.delete_subject, SUBJECT)

        # Soft only, then the registry still knows the subject's deleted versions.
        client.register_schema("py-temp-value", avro_schema(V1))
        self.assertEqual(client.delete_subject("py-temp-value"), [1])
        self.assertEqual(client.get_subjects(), ["py-other-value"])
        self.assert_sr_error(404, 40404, client.delete_subject, "py-temp-value")
        # delete_subject(permanent=True) would repeat the soft delete (40404): send the
        # permanent one alone through the client's REST layer.
        self.assertEqual(client._rest_client.delete("subjects/py-temp-value?permanent=true"), [1])
        self.assert_sr_error(404, 40401, client.delete_subject, "py-temp-value")
        # id 1 is still used by py-other-value; id 2 went with py-orders-value's last record.
        self.assert_same_schema(new_client().get_schema(self.state["id1"]).schema_str, V1)
        self.assert_sr_error(404, 40403, new_client().get_schema, self.state["id2"])

    def test_10_legacy_serializer_round_trip_with_evolved_reader(self):
        topic = "py-shop"
        subject = topic + "-value"
        registry = CachedSchemaRegistryClient({"url": URL})
        self.assertTrue(registry.auto_register_schemas)
        v1 = avro_loads(V1)

        # Producer: auto-registers v1 under topic-value (TopicNameStrategy) and frames the datum.
        producer = MessageSerializer(registry)
        payload = producer.encode_record_with_schema(topic, v1, ORDER)
        magic, schema_id = struct.unpack(">bI", payload[:5])
        self.assertEqual(magic, 0)
        latest = new_client().get_latest_version(subject)
        self.assertEqual((latest.version, latest.schema_id), (1, schema_id))
        self.assert_same_schema(latest.schema.schema_str, V1)
        # Same content under another subject shares the id (py-other-value has V1 as id 1).
        self.assertEqual(schema_id, self.state["id1"])

        # The body is plain Avro binary of the record.
        expected = io.BytesIO()
        avro.io.DatumWriter(v1).write(ORDER, avro.io.BinaryEncoder(expected))
        self.assertEqual(payload[5:], expected.getvalue())

        # The outage: a producer auto-registering v2 without a default is refused.
        with self.assertRaises(ClientError) as cm:
            MessageSerializer(CachedSchemaRegistryClient({"url": URL})).encode_record_with_schema(
                topic, avro_loads(V2_REQUIRED), dict(ORDER, shipping_method="EXPRESS"))
        self.assertIn("409", str(cm.exception))

        # The safe change is registered by a v2 producer.
        v2 = avro_loads(V2_DEFAULT)
        payload2 = MessageSerializer(CachedSchemaRegistryClient({"url": URL})).encode_record_with_schema(
            topic, v2, dict(ORDER, shipping_method="EXPRESS"))
        id2 = struct.unpack(">bI", payload2[:5])[1]
        self.assertNotEqual(id2, schema_id)
        self.assertEqual(new_client().get_versions(subject), [1, 2])

        # Consumers: fetch the writer schema by id, decode with their own reader schema.
        plain = MessageSerializer(CachedSchemaRegistryClient({"url": URL}))
        self.assertEqual(plain.decode_message(payload), ORDER)
        evolved = MessageSerializer(CachedSchemaRegistryClient({"url": URL}), reader_value_schema=v2)
        self.assertEqual(evolved.decode_message(payload), dict(ORDER, shipping_method="STANDARD"))
        self.assertEqual(evolved.decode_message(payload2), dict(ORDER, shipping_method="EXPRESS"))

        # The legacy client's other calls agree with the registry.
        legacy = CachedSchemaRegistryClient({"url": URL})
        got_id, got_schema, got_version = legacy.get_latest_schema(subject)
        self.assertEqual((got_id, got_version), (id2, 2))
        self.assertEqual(got_schema, v2)
        self.assertEqual(legacy.get_version(subject, v1), 1)
        self.assertEqual(legacy.check_registration(subject, v2), id2)
        # (This client also answers False on any error, so only True proves anything.)
        self.assertIs(legacy.test_compatibility(subject, avro_loads(WITH_NOTE)), True)

    def test_11_current_api_avro_serializer(self):
        try:
            import fastavro  # noqa: F401  (confluent_kafka.schema_registry.avro needs it)
        except ImportError:
            self.skipTest("fastavro is not packaged for Debian 12; AvroSerializer needs it")
        from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
        from confluent_kafka.serialization import MessageField, SerializationContext

        client = new_client()
        ser = AvroSerializer(client, V1, conf={"auto.register.schemas": True})
        ctx = SerializationContext("py-fast", MessageField.VALUE)
        payload = ser(ORDER, ctx)
        magic, schema_id = struct.unpack(">bI", payload[:5])
        self.assertEqual(magic, 0)
        self.assertEqual(new_client().get_latest_version("py-fast-value").schema_id, schema_id)
        de = AvroDeserializer(new_client(), V2_DEFAULT)
        self.assertEqual(de(payload, ctx)["shipping_method"], "STANDARD")


if __name__ == "__main__":
    unittest.main(verbosity=2)
