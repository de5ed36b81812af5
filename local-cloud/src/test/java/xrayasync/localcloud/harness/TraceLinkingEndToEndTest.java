package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.names;
import static xrayasync.localcloud.harness.TraceEntities.only;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * The whole flow on the local cloud with the built functions under the real runtime client: the fix keeps one trace
 * across the async hop, and the original report's configurations lose it.
 */
class TraceLinkingEndToEndTest {

    @TempDir
    Path work;

    @Test
    void triggeredSegmentsJoinCallersTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            List<JsonNode> trace = result.segments();
            JsonNode caller = only(trace, entity -> "AWS::Lambda::Function".equals(entity.path("origin").asText())
                    && entity.path("name").asText().equals(fixture.functionName("TriggeringFunction")));
            JsonNode listing = child(caller, "S3");
            JsonNode invoke = child(caller, "Lambda");
            assertEquals("ListBuckets", listing.path("aws").path("operation").asText());
            assertEquals("Event", invoke.path("aws").path("invocation_type").asText());
            assertEquals(202, invoke.path("http").path("response").path("status").asInt());

            JsonNode service = only(trace, entity -> "AWS::Lambda".equals(entity.path("origin").asText())
                    && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(invoke.path("id").asText(), service.path("parent_id").asText());
            assertEquals(List.of("Dwell Time", "Attempt #1"), names(service.path("subsegments")));

            JsonNode callee = only(trace, entity -> "AWS::Lambda::Function".equals(entity.path("origin").asText())
                    && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(service.path("id").asText(), callee.path("parent_id").asText());
            assertEquals(Set.of("Init", "## handleRequest", "Overhead"), Set.copyOf(names(callee.path("subsegments"))));
            JsonNode handling = child(callee, "## handleRequest");
            assertEquals(result.traceId(), handling.path("annotations").path("caller_trace_id").asText());
            assertEquals("ListBuckets", child(handling, "S3").path("aws").path("operation").asText());
        }
    }

    @Test
    void withoutPropagationPassThroughCalleeLeavesNoSegmentAnywhere() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("TracePropagation", "Disabled",
                "TriggeredTracingMode", "PassThrough"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNull(result.calleeTraceId(), result.explanation());
            String callee = fixture.functionName("TriggeredFunction");
            for (String traceId : fixture.cloud.traces().traceIds()) {
                List<JsonNode> segments = new ArrayList<>(fixture.cloud.traces().segments(traceId).orElseThrow());
                assertTrue(segments.stream().noneMatch(segment -> segment.path("name").asText().equals(callee)),
                        "trace " + traceId + " has a segment of " + callee);
            }
            assertTrue(fixture.cloud.log().lines(callee).stream().anyMatch(line -> line.startsWith("REPORT")),
                    "the callee did run, untraced");
        }
    }

    @Test
    void withoutPropagationActiveCalleeStartsAnotherTraceFoundByItsAnnotation() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("TracePropagation", "Disabled"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNotNull(result.calleeTraceId(), result.explanation());
            assertNotEquals(result.traceId(), result.calleeTraceId());
            List<JsonNode> other = new ArrayList<>(fixture.cloud.traces().segments(result.calleeTraceId()).orElseThrow());
            JsonNode service = only(other, entity -> "AWS::Lambda".equals(entity.path("origin").asText()));
            assertFalse(service.has("parent_id"), "a new trace has no caller");
        }
    }
}
