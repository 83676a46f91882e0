// Parsing Canonical Form / fingerprint oracle on Apache Avro Java 1.8.2 (Debian libavro-java).
// Used by gen_avro_canonical.py, which compiles it to a temporary directory at run time.
//
// Reads JSON lines from stdin, writes one JSON result line per input line (same order):
//   {"id":N,"op":"parse","schema":"<schema text>"[,"validateDefaults":true]}
//       -> {"id":N,"valid":true,"pcf":"...","fp64":<long>,"crc64":"<hex of the 8 CRC-64-AVRO bytes>",
//           "md5":"<hex>","sha256":"<hex>"}   or {"id":N,"valid":false,"error":"..."}
//   {"id":N,"op":"fp","text":"<any string>"}
//       -> the same fingerprints computed over the UTF-8 bytes of text (no parsing)
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.codehaus.jackson.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

public class CanonicalOracle {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) sb.append(String.format("%02x", b & 0xff));
    return sb.toString();
  }

  private static void fingerprints(ObjectNode out, byte[] data) throws Exception {
    out.put("fp64", SchemaNormalization.fingerprint64(data));
    out.put("crc64", hex(SchemaNormalization.fingerprint("CRC-64-AVRO", data)));
    out.put("md5", hex(SchemaNormalization.fingerprint("MD5", data)));
    out.put("sha256", hex(SchemaNormalization.fingerprint("SHA-256", data)));
  }

  private static ObjectNode handle(JsonNode in) {
    ObjectNode out = MAPPER.createObjectNode();
    if (in.has("id")) out.put("id", in.get("id"));
    String op = in.has("op") ? in.get("op").getTextValue() : "parse";
    try {
      if ("parse".equals(op)) {
        Schema.Parser parser = new Schema.Parser();
        parser.setValidateDefaults(in.has("validateDefaults") && in.get("validateDefaults").getBooleanValue());
        Schema schema = parser.parse(in.get("schema").getTextValue());
        String pcf = SchemaNormalization.toParsingForm(schema);
        out.put("valid", true);
        out.put("pcf", pcf);
        fingerprints(out, pcf.getBytes(StandardCharsets.UTF_8));
        // Cross-check the convenience entry points against the byte-level ones.
        if (SchemaNormalization.parsingFingerprint64(schema) != out.get("fp64").getLongValue()) {
          out.put("inconsistent", "parsingFingerprint64");
        }
        if (!hex(SchemaNormalization.parsingFingerprint("MD5", schema)).equals(out.get("md5").getTextValue())
            || !hex(SchemaNormalization.parsingFingerprint("SHA-256", schema)).equals(out.get("sha256").getTextValue())) {
          out.put("inconsistent", "parsingFingerprint");
        }
      } else if ("fp".equals(op)) {
        fingerprints(out, in.get("text").getTextValue().getBytes(StandardCharsets.UTF_8));
      } else {
        out.put("error", "unknown op " + op);
      }
    } catch (Throwable e) {
      out.put("valid", false);
      out.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter writer = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.trim().isEmpty()) continue;
      ObjectNode out;
      try {
        out = handle(MAPPER.readTree(line));
      } catch (Throwable e) {
        out = MAPPER.createObjectNode();
        out.put("error", "bad input line: " + e.getMessage());
      }
      writer.println(MAPPER.writeValueAsString(out));
      writer.flush();
    }
  }
}
