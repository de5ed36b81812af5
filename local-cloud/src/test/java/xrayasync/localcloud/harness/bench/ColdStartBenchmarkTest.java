package xrayasync.localcloud.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.harness.FunctionPair;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The benchmark runs every variant to its REPORT lines and prints each figure's spread and the goals' ratios; the
 * figures themselves belong to a full run (docs/performance.md), not to a test.
 */
class ColdStartBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void oneRoundMeasuresEveryVariantAndPrintsTheRatios() throws Exception {
        Path root = ProjectRoot.locate();
        ColdStartBenchmark.Setup setup = new ColdStartBenchmark.Setup(root, root.resolve("template.yaml"),
                root.resolve("otel/template.yaml"), new FunctionPair("TriggeringFunction", "TriggeredFunction"),
                Files.readAllBytes(root.resolve("events/triggering-event.json")),
                Files.readAllBytes(root.resolve("events/triggered-event.json")),
                root.resolve("local-cloud/target/benchmark/opentelemetry-javaagent.jar"),
                root.resolve("local-cloud/target/benchmark/http-client"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new ColdStartBenchmark(setup, work, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(1, 1);

        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        List<String> rows = report.lines().filter(line -> line.matches("\\S.*( \\d+ / \\d+ / \\d+ +){3}.*")).toList();
        assertEquals(19, rows.size(), report);
        for (String ratio : List.of("X-Ray SDK: cold start", "OTel library: cold start", "the OTel agent on the same",
                "cost of tracing over no tracing", "max memory used", "CRT client: cold start",
                "JSON alone, jackson-jr: cold start",
                "SQSEvent as Lambda delivers it (the stream overload, read by HopEvents): cold start")) {
            assertTrue(report.contains(ratio), ratio + " in " + report);
        }
    }
}
