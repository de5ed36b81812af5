package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.harness.load.LoadRun;

/** Under concurrent load no trace, segment or event is lost (docs/reliability-and-security.md's figure comes from the same code at 500). */
class LoadEndToEndTest {

    private static final int COUNT = 40;

    @TempDir
    Path work;

    @Test
    void concurrentInvocationsAllEndLinkedWithEverySegment() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            LoadRun.Report report = new LoadRun(fixture.cloud, LocalCloudFixture.PAIR, LoadRun.XRAY_SDK_DOCUMENTS_PER_PAIR,
                    fixture.clients.lambda(), System.out).run(COUNT, COUNT,
                    Files.readAllBytes(LocalCloudFixture.ROOT.resolve("events/triggering-event.json")),
                    Duration.ofMinutes(2));
            report.print(System.out);

            assertEquals(COUNT, report.answered());
            assertEquals(COUNT, report.calleeCompleted());
            assertEquals(COUNT, report.linked());
            assertEquals(COUNT * 3L, report.documentsReceived());
            assertEquals(0, report.malformedDocuments());
            assertTrue(report.callerConcurrency() > 1, "invocations overlapped");
            assertTrue(report.nothingLost());
        }
    }
}
