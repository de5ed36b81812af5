package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xrayasync.localcloud.harness.TraceEntities.all;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.only;
import static xrayasync.localcloud.harness.TraceEntities.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.check.TraceCheck;
import xrayasync.localcloud.harness.load.LoadRun;

/**
 * The OpenTelemetry flavor (otel/template.yaml) on the local cloud, and the two migration pairs: one trace across the
 * async hop whichever of the two functions has moved to OpenTelemetry.
 */
class OpenTelemetryFlavorEndToEndTest {

    static final Path OTEL_TEMPLATE = LocalCloudFixture.ROOT.resolve("otel/template.yaml");
    static final Path XRAY_TEMPLATE = LocalCloudFixture.ROOT.resolve("template.yaml");
    /** Spans per linked pair: the caller's handler, S3 and Invoke; the callee's handler and S3. */
    static final int SPANS_PER_PAIR = 5;

    @TempDir
    Path work;

    private LocalCloudFixture otel(Map<String, String> parameters) throws Exception {
        return new LocalCloudFixture(OTEL_TEMPLATE, Map.of(), work, parameters);
    }

    /** The function's own segment: the SERVER span's, under Lambda's function segment. */
    private static JsonNode handlerSegment(List<JsonNode> trace, JsonNode lambdaFunctionSegment) {
        return only(trace, entity -> lambdaFunctionSegment.path("id").asText().equals(entity.path("parent_id").asText())
                && !entity.has("type"));
    }

    @Test
    void otelCalleeJoinsTheOtelCallersTraceAcrossTheAsyncHop() throws Exception {
        try (LocalCloudFixture fixture = otel(Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            List<JsonNode> trace = result.segments();
            String caller = fixture.functionName("TriggeringFunction");
            String callee = fixture.functionName("TriggeredFunction");
            JsonNode callerHandler = handlerSegment(trace, only(trace, segment("AWS::Lambda::Function", caller)));
            JsonNode invoke = child(callerHandler, "Lambda");
            assertEquals("aws", invoke.path("namespace").asText());
            assertEquals("Invoke", invoke.path("aws").path("operation").asText());
            assertEquals("ListBuckets", child(callerHandler, "S3").path("aws").path("operation").asText());
            JsonNode service = only(trace, segment("AWS::Lambda", callee));
            assertEquals(invoke.path("id").asText(), service.path("parent_id").asText());
            JsonNode calleeFunction = only(trace, segment("AWS::Lambda::Function", callee));
            assertEquals(service.path("id").asText(), calleeFunction.path("parent_id").asText());
            JsonNode calleeHandler = handlerSegment(trace, calleeFunction);
            assertEquals(result.traceId(), calleeHandler.path("annotations").path("caller_trace_id").asText());
            assertEquals(caller, calleeHandler.path("annotations").path("caller_function_name").asText());
            assertEquals("ListBuckets", child(calleeHandler, "S3").path("aws").path("operation").asText());
        }
    }

    @Test
    void unsampledCallerSendsNothingAndTheCalleeStaysUnsampled() throws Exception {
        try (LocalCloudFixture fixture = otel(Map.of())) {
            String traceId = XRayIds.system().newTraceId();

            fixture.clients.lambda().invoke(request -> request.functionName(fixture.functionName("TriggeringFunction"))
                    .payload(SdkBytes.fromUtf8String("{}"))
                    .overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id",
                            "Root=" + traceId + ";Parent=53995c3f42cd8ad8;Sampled=0")));
            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(60)));
            Thread.sleep(300);

            assertTrue(fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                    .anyMatch(line -> line.startsWith("REPORT")), "the callee ran");
            assertFalse(fixture.cloud.traces().traceIds().contains(traceId), "nothing of the trace was recorded");
        }
    }

    @Test
    void withoutPropagationPassThroughCalleeLeavesNoSegmentAnywhere() throws Exception {
        try (LocalCloudFixture fixture = otel(Map.of("TracePropagation", "Disabled",
                "TriggeredTracingMode", "PassThrough"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNull(result.calleeTraceId(), result.explanation());
            String callee = fixture.functionName("TriggeredFunction");
            for (String traceId : fixture.cloud.traces().traceIds()) {
                assertTrue(all(fixture.cloud.traces().segments(traceId).orElseThrow(),
                        entity -> entity.path("name").asText().equals(callee)).isEmpty(), traceId);
            }
        }
    }

    @Test
    void withoutPropagationActiveCalleeStartsAnotherTraceFoundByItsAnnotation() throws Exception {
        try (LocalCloudFixture fixture = otel(Map.of("TracePropagation", "Disabled"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNotNull(result.calleeTraceId(), result.explanation());
        }
    }

    @Test
    void xraySdkCallerAndOtelCalleeShareOneTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(XRAY_TEMPLATE,
                Map.of("TriggeredFunction", OTEL_TEMPLATE), work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            assertEquals("xrayasync.otel.triggered.TriggeredHandler::handleRequest",
                    fixture.cloud.stack().function("TriggeredFunction").handler());
        }
    }

    @Test
    void otelCallerAndXRaySdkCalleeShareOneTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(OTEL_TEMPLATE,
                Map.of("TriggeredFunction", XRAY_TEMPLATE), work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            assertEquals("xrayasync.otel.triggering.TriggeringHandler::handleRequest",
                    fixture.cloud.stack().function("TriggeringFunction").handler());
        }
    }

    @Test
    void concurrentInvocationsAllEndLinkedWithEverySpan() throws Exception {
        int count = 40;
        try (LocalCloudFixture fixture = otel(Map.of())) {
            LoadRun.Report report = new LoadRun(fixture.cloud, LocalCloudFixture.PAIR, SPANS_PER_PAIR,
                    fixture.clients.lambda(), System.out).run(count, count,
                    Files.readAllBytes(LocalCloudFixture.ROOT.resolve("events/triggering-event.json")),
                    Duration.ofMinutes(2));
            report.print(System.out);

            assertEquals(count, report.linked());
            assertEquals((long) count * SPANS_PER_PAIR, report.documentsReceived());
            assertTrue(report.nothingLost());
        }
    }
}
