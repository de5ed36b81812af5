package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.only;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * The SNS hop (AsyncHop=SNS) on the local cloud: SNS passes the publisher's trace to its Lambda subscriber, and the
 * topic's active tracing puts its own segment between them (X-Ray guide, "Amazon SNS and AWS X-Ray"), so one trace
 * holds both functions; without the header the subscriber's trace is a new one.
 */
class SnsHopEndToEndTest {

    private static final Map<String, String> SNS_HOP = Map.of("AsyncHop", "SNS");

    @TempDir
    Path work;

    @Test
    void oneTraceHoldsThePublishTheTopicAndTheSubscriber() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, SNS_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            JsonNode caller = only(result.segments(), entity -> "AWS::Lambda::Function".equals(entity.path("origin")
                    .asText()) && entity.path("name").asText().equals(fixture.functionName("TriggeringFunction")));
            JsonNode publish = child(caller, "Sns");
            assertEquals("Publish", publish.path("aws").path("operation").asText());
            JsonNode topic = only(result.segments(), entity -> "AWS::SNS::Topic".equals(entity.path("origin")
                    .asText()));
            assertEquals(fixture.cloud.stack().topicArn("TriggeredTopic"), topic.path("resource_arn").asText());
            assertEquals(publish.path("id").asText(), topic.path("parent_id").asText());
            JsonNode service = only(result.segments(), entity -> "AWS::Lambda".equals(entity.path("origin").asText())
                    && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(topic.path("id").asText(), service.path("parent_id").asText());
            JsonNode callee = only(result.segments(), entity -> "AWS::Lambda::Function".equals(entity.path("origin")
                    .asText()) && entity.path("name").asText().equals(fixture.functionName("TriggeredFunction")));
            assertEquals(result.traceId(), child(callee, "## handleNotification").path("annotations")
                    .path("caller_trace_id").asText());
            HopTraces.assertJoined(HopTraces.read(fixture, work, result.traceId()), result.traceId(),
                    fixture.functionName("TriggeredFunction"));
        }
    }

    @Test
    void theOpenTelemetryFlavorJoinsTheSameWay() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(LocalCloudFixture.ROOT.resolve("otel/template.yaml"),
                work, SNS_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            only(result.segments(), entity -> "AWS::SNS::Topic".equals(entity.path("origin").asText()));
        }
    }

    @Test
    void withoutTracePropagationTheSubscriberStartsATraceOfItsOwn() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("AsyncHop", "SNS",
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
