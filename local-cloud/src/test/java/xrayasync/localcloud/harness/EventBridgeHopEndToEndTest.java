package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.only;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.Service;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * The EventBridge hop (AsyncHop=EventBridge) on the local cloud: PutEvents' trace header reaches the rule's target, so
 * one trace holds both functions, with no segment of EventBridge's own (X-Ray infers its node from the PutEvents
 * subsegment); PutEvents without a header loses the trace (EventBridge guide, "Amazon EventBridge integration with
 * AWS X-Ray").
 */
class EventBridgeHopEndToEndTest {

    private static final Map<String, String> EVENTBRIDGE_HOP = Map.of("AsyncHop", "EventBridge");

    @TempDir
    Path work;

    @Test
    void theRulesTargetJoinsTheTraceOfThePutEventsCall() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, EVENTBRIDGE_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            JsonNode caller = only(result.segments(), entity -> "AWS::Lambda::Function".equals(entity.path("origin")
                    .asText()) && entity.path("name").asText().equals(fixture.functionName("TriggeringFunction")));
            JsonNode put = only(List.of(caller), entity -> "PutEvents".equals(entity.path("aws")
                    .path("operation").asText()));
            JsonNode service = only(result.segments(), entity -> "AWS::Lambda".equals(entity.path("origin").asText())
                    && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(put.path("id").asText(), service.path("parent_id").asText());
            JsonNode callee = only(result.segments(), entity -> "AWS::Lambda::Function".equals(entity.path("origin")
                    .asText()) && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(result.traceId(), child(callee, "## handleEvent").path("annotations")
                    .path("caller_trace_id").asText());
            HopTraces.assertJoined(HopTraces.read(fixture, work, result.traceId()), result.traceId(),
                    fixture.functionName("TriggeredFunction"));
            theServiceGraphConnectsTheFunctionsThroughAnEventBridgeNode(fixture);
        }
    }

    /** "The trace map displays an EventBridge event node that connects source and target services." */
    private static void theServiceGraphConnectsTheFunctionsThroughAnEventBridgeNode(LocalCloudFixture fixture) {
        List<Service> services = fixture.clients.xray().getServiceGraph(request -> request
                .startTime(Instant.now().minusSeconds(300)).endTime(Instant.now().plusSeconds(60))).services();
        Service eventBridge = services.stream().filter(service -> "AWS::EventBridge".equals(service.type()))
                .findFirst().orElseThrow(() -> new AssertionError("no EventBridge node in " + services));
        Service caller = services.stream().filter(service -> "AWS::Lambda::Function".equals(service.type())
                && fixture.functionName("TriggeringFunction").equals(service.name())).findFirst().orElseThrow();
        Service target = services.stream().filter(service -> "AWS::Lambda".equals(service.type())
                && fixture.functionName("TriggeredFunction").equals(service.name())).findFirst().orElseThrow();
        assertEquals(List.of(eventBridge.referenceId()), caller.edges().stream().map(Edge::referenceId)
                .filter(id -> id.equals(eventBridge.referenceId()) || id.equals(target.referenceId())).toList());
        assertEquals(List.of(target.referenceId()), eventBridge.edges().stream().map(Edge::referenceId).toList());
    }

    @Test
    void theOpenTelemetryFlavorJoinsTheSameWay() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(LocalCloudFixture.ROOT.resolve("otel/template.yaml"),
                work, EVENTBRIDGE_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
        }
    }

    /** PutEvents without a trace header, the hop's own failure mode: the target starts a trace of its own. */
    @Test
    void putEventsWithoutATraceHeaderLosesTheTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("AsyncHop", "EventBridge",
                "TracePropagation", "Disabled"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNotNull(result.calleeTraceId(), result.explanation());
            JsonNode service = only(result.calleeSegments(), entity -> "AWS::Lambda".equals(entity.path("origin")
                    .asText()));
            assertFalse(service.has("parent_id"), "a new trace has no caller");
        }
    }
}
