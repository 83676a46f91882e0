// Avro Java peer for the Avro compatibility benchmark (bench/avro).
//
// Build and run (compare.sh does this):
//   J=/usr/share/java
//   CP=$J/avro.jar:$J/jackson-core-asl.jar:$J/jackson-mapper-asl.jar:$J/slf4j-api.jar:$J/slf4j-nop.jar:\
//      $J/paranamer.jar:$J/commons-compress.jar:$J/snappy-java.jar:$J/xz.jar
//   javac -d OUT -cp "$CP" bench/avro/PeerJava.java && java -cp "$CP:OUT" PeerJava SCHEMAS_DIR
//   optional: --warmup-seconds S (3) --min-seconds S (2) --min-repeats N (3)
//
// Every schema is parsed once, before any timing. Then a warm-up of at least 3 s and at least
// 10,000 large checks and 3 FULL_TRANSITIVE runs (so the JIT has compiled the hot paths), then,
// timed with System.nanoTime inside this JVM:
//   (a) large_checks_per_s: SchemaCompatibility.checkReaderWriterCompatibility(large_new, large_old)
//       (each call uses a fresh memoising checker, i.e. one full check), for at least 2 s;
//   (b) full_transitive_1000_ms: candidate against every version, both directions, at least
//       3 runs and at least 2 s; mean (and min) per run.
// Prints one JSON object on stdout; progress on stderr. Exits 1 if any verdict is not COMPATIBLE:
// Avro 1.8.2 pretty-prints both schemas into the message of every incompatible verdict, so an
// incompatible verdict would be different (much slower) work than the other implementations do.
// (Avro 1.8.2 does not know enum defaults: do not feed it histories made with --enum-evolution.)

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

public final class PeerJava {
    private static Schema parse(File f) throws IOException {
        return new Schema.Parser().parse(f); // one Parser per file: each file is its own namespace
    }

    private static boolean check(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    private static int fullTransitive(Schema candidate, Schema[] versions) {
        int ok = 0;
        for (Schema v : versions) {
            if (check(candidate, v)) ok++; // backward: new reads old
            if (check(v, candidate)) ok++; // forward: old reads new
        }
        return ok;
    }

    private static void log(String fmt, Object... args) {
        System.err.println("java: " + String.format(Locale.ROOT, fmt, args));
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    public static void main(String[] args) throws Exception {
        String dir = null;
        double warmupS = 3, minS = 2;
        int minRepeats = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup-seconds": warmupS = Double.parseDouble(args[++i]); break;
                case "--min-seconds": minS = Double.parseDouble(args[++i]); break;
                case "--min-repeats": minRepeats = Integer.parseInt(args[++i]); break;
                default:
                    if (dir != null || args[i].startsWith("-")) {
                        System.err.println("usage: PeerJava SCHEMAS_DIR [--warmup-seconds S]"
                                + " [--min-seconds S] [--min-repeats N]");
                        System.exit(2);
                    }
                    dir = args[i];
            }
        }
        if (dir == null) {
            System.err.println("usage: PeerJava SCHEMAS_DIR");
            System.exit(2);
        }

        long p0 = System.nanoTime();
        Schema largeOld = parse(new File(dir, "large_old.avsc"));
        Schema largeNew = parse(new File(dir, "large_new.avsc"));
        Schema candidate = parse(new File(dir, "candidate.avsc"));
        File[] files = new File(dir, "versions").listFiles(
                (d, n) -> n.startsWith("v") && n.endsWith(".avsc"));
        if (files == null || files.length == 0) {
            System.err.println("no versions/v*.avsc in " + dir);
            System.exit(2);
        }
        Arrays.sort(files);
        Schema[] versions = new Schema[files.length];
        for (int i = 0; i < files.length; i++) versions[i] = parse(files[i]);
        log("parsed %d schemas in %.2f s (not timed)", versions.length + 3, (System.nanoTime() - p0) / 1e9);

        List<String> bad = new ArrayList<>();
        int expected = 2 * versions.length;
        if (!check(largeNew, largeOld)) bad.add("large: reader=large_new writer=large_old is not compatible");
        int ft = fullTransitive(candidate, versions);
        if (ft != expected) bad.add("full transitive: " + (expected - ft) + " of " + expected + " pair checks not compatible");
        if (!bad.isEmpty()) {
            for (String b : bad) log("ERROR: %s", b);
            System.exit(1);
        }

        // warm-up
        long sink = 0;
        long w0 = System.nanoTime();
        long warmEnd = w0 + (long) (warmupS * 1e9);
        long warmLarge = 0, warmFull = 0;
        while (System.nanoTime() < warmEnd || warmLarge < 10_000 || warmFull < 3) {
            for (int i = 0; i < 500; i++) sink += check(largeNew, largeOld) ? 1 : 0;
            warmLarge += 500;
            sink += fullTransitive(candidate, versions);
            warmFull++;
        }
        double warmS = (System.nanoTime() - w0) / 1e9;
        log("warm-up: %.2f s, %d large checks, %d full-transitive runs", warmS, warmLarge, warmFull);

        // (a) large pairwise check
        long n = 0, compatible = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (minS * 1e9);
        long now;
        while (true) {
            for (int i = 0; i < 100; i++) compatible += check(largeNew, largeOld) ? 1 : 0;
            n += 100;
            now = System.nanoTime();
            if (now >= deadline) break;
        }
        double largeS = (now - start) / 1e9;
        if (compatible != n) bad.add("large: " + (n - compatible) + " of " + n + " checks not compatible");
        double largePerS = n / largeS;
        log("large pairwise: %d checks in %.3f s = %.1f/s", n, largeS, largePerS);

        // (b) FULL_TRANSITIVE candidate vs all versions
        List<Long> times = new ArrayList<>();
        long s0 = System.nanoTime();
        while (times.size() < minRepeats || System.nanoTime() - s0 < (long) (minS * 1e9)) {
            long t = System.nanoTime();
            int ok = fullTransitive(candidate, versions);
            times.add(System.nanoTime() - t);
            if (ok != expected) {
                bad.add("full transitive: " + (expected - ok) + " of " + expected + " pair checks not compatible");
                break;
            }
            sink += ok;
        }
        long sum = 0, min = Long.MAX_VALUE;
        for (long t : times) { sum += t; min = Math.min(min, t); }
        double meanMs = sum / 1e6 / times.size();
        log("FULL_TRANSITIVE vs %d versions (%d pair checks): %d runs, mean %.3f ms, min %.3f ms",
                versions.length, expected, times.size(), meanMs, min / 1e6);

        String version = Schema.class.getPackage().getImplementationVersion();
        StringBuilder sb = new StringBuilder();
        sb.append("{\"impl\":\"avro-java ").append(version == null ? "1.8.2" : version).append('"')
          .append(",\"large_checks_per_s\":").append(num(largePerS))
          .append(",\"full_transitive_1000_ms\":").append(num(meanMs))
          .append(",\"full_transitive_min_ms\":").append(num(min / 1e6))
          .append(",\"versions\":").append(versions.length)
          .append(",\"pair_checks_per_full_transitive\":").append(expected)
          .append(",\"large_iterations\":").append(n)
          .append(",\"full_transitive_repeats\":").append(times.size())
          .append(",\"warmup_s\":").append(num(warmS))
          .append(",\"parsing_included\":false")
          .append(",\"java_version\":\"").append(System.getProperty("java.version")).append('"')
          .append(",\"all_compatible\":").append(bad.isEmpty())
          .append(",\"sink\":").append(sink % 7) // keeps the JIT from discarding the work
          .append('}');
        System.out.println(sb);
        for (String b : bad) log("ERROR: %s", b);
        System.exit(bad.isEmpty() ? 0 : 1);
    }
}
