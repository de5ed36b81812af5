package xrayasync.localcloud.harness.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read benchmark fills a store and times each read the SAM CLI makes, printing what each found; its figures belong
 * to a full run (docs/performance.md), not to a test.
 */
class StoreReadBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void eachReadFindsWhatTheWindowHoldsAndIsTimed() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new StoreReadBenchmark(work.resolve("store"), new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(28_800, 28_800, 2);

        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        // 5,760 traces and 28,800 events over a day: 20 and 100 of them in five minutes.
        assertTrue(report.matches("(?s).*GetTraceSummaries, 5-minute window( +[0-9.]+){3} +2[01] traces.*"), report);
        assertTrue(report.matches("(?s).*BatchGetTraces, 5 traces( +[0-9.]+){3} +5 segments.*"), report);
        assertTrue(report.matches("(?s).*its last 5 minutes( +[0-9.]+){3} +(99|100|101) events.*"), report);
        assertTrue(report.matches("(?s).*first page \\(10,000\\)( +[0-9.]+){3} +10000 events.*"), report);
    }
}
