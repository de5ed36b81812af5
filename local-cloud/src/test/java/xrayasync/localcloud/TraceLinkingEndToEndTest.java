package xrayasync.localcloud;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.check.TraceCheck;

/** The whole flow on the local cloud: built functions, real runtime client, one trace across the async hop. */
class TraceLinkingEndToEndTest {

    @TempDir
    Path work;

    @Test
    void triggeredSegmentsJoinCallersTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result result = new TraceCheck(fixture.clients.lambda(), fixture.clients.xray(), System.out, Duration.ofSeconds(30),
                    Duration.ofMillis(250)).run(fixture.functionName("TriggeringFunction"),
                    Files.readAllBytes(LocalCloudFixture.ROOT.resolve("events/triggering-event.json")));

            assertTrue(result.linked(), result.explanation());
        }
    }
}
