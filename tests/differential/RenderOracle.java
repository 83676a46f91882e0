// Schema.toString() oracle on Apache Avro Java 1.8.2 (Debian libavro-java, Jackson 1.9).
// Used by gen_avro_rendering.py, which compiles it to a temporary directory at run time.
//
// Reads JSON lines from stdin, writes one JSON result line per input line (same order):
//   {"id":N,"schema":"<schema text>"}
//       -> {"id":N,"valid":true,"java":"<Schema.toString()>","pcf":"<Parsing Canonical Form>"}
//          or {"id":N,"valid":false,"error":"..."}
// Defaults are not validated: the question here is how a schema is printed, and the generator
// only keeps schemas that our own (validating) parser accepts.
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

public class RenderOracle {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ObjectNode handle(JsonNode in) {
    ObjectNode out = MAPPER.createObjectNode();
    if (in.has("id")) out.put("id", in.get("id"));
    try {
      Schema.Parser parser = new Schema.Parser();
      parser.setValidateDefaults(false);
      Schema schema = parser.parse(in.get("schema").getTextValue());
      out.put("valid", true);
      out.put("java", schema.toString());
      out.put("pcf", SchemaNormalization.toParsingForm(schema));
    } catch (Throwable e) {
      out.put("valid", false);
      out.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter writer = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.trim().isEmpty()) continue;
      ObjectNode out;
      try {
        out = handle(MAPPER.readTree(line));
      } catch (Throwable e) {
        out = MAPPER.createObjectNode();
        out.put("valid", false);
        out.put("error", "bad input line: " + e.getMessage());
      }
      writer.println(MAPPER.writeValueAsString(out));
      writer.flush();
    }
  }
}
