package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** A hop's traces as boto3 reads them (hop_traces.py: GetTraceSummaries, then BatchGetTraces), independently. */
final class HopTraces {

    private HopTraces() {
    }

    /** What boto3 finds for the producer's trace on the fixture's cloud; the test is skipped without boto3. */
    static JsonNode read(LocalCloudFixture fixture, Path work, String producerTraceId) throws Exception {
        Boto3 boto3 = Boto3.find().orElse(null);
        Assumptions.assumeTrue(boto3 != null, "no Python with boto3 on this machine");
        return boto3.run(fixture.cloud.endpoint(), Files.createDirectories(work.resolve("boto3")), "hop_traces.py",
                producerTraceId);
    }

    /** The callee's annotation names the producer's trace alone, and that trace holds the callee's function segment. */
    static void assertJoined(JsonNode seen, String producerTraceId, String callee) {
        List<String> annotated = new ArrayList<>();
        seen.path("traces_annotated").forEach(trace -> annotated.add(trace.asText()));
        assertEquals(List.of(producerTraceId), annotated, seen.toString());
        boolean calleeThere = false;
        for (JsonNode segment : seen.path("producer_segments")) {
            calleeThere |= "AWS::Lambda::Function".equals(segment.path("origin").asText())
                    && callee.equals(segment.path("name").asText());
        }
        assertTrue(calleeThere, "boto3 finds " + callee + " in the producer's trace: " + seen);
    }
}
