package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.only;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.HistogramEntry;
import software.amazon.awssdk.services.xray.model.Service;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * The SQS hop (AsyncHop=SQS) on the local cloud, as X-Ray shows it today: the consumer runs in a trace of its own,
 * linked to the producer's SendMessage ("Tracing event-driven applications"); the original report's configurations
 * lose it; a message the handler cannot read leaves its batch and ends in the dead-letter queue.
 */
class SqsHopEndToEndTest {

    private static final Map<String, String> SQS_HOP = Map.of("AsyncHop", "SQS");

    @TempDir
    Path work;

    @Test
    void theConsumersOwnTraceLinksTheProducersSendMessage() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, SQS_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LINKED, result.verdict(), result.explanation());
            JsonNode caller = only(result.segments(), entity -> "AWS::Lambda::Function".equals(entity.path("origin")
                    .asText()) && entity.path("name").asText().equals(fixture.functionName("TriggeringFunction")));
            JsonNode send = child(caller, "Sqs");
            assertEquals("SendMessage", send.path("aws").path("operation").asText());

            JsonNode service = only(result.calleeSegments(), entity -> "AWS::Lambda".equals(entity.path("origin")
                    .asText()));
            assertEquals(fixture.functionName("TriggeredFunction"), service.path("name").asText());
            assertFalse(service.has("parent_id"), "the consumer's trace starts at Lambda's poller");
            assertEquals(1, service.path("links").size(), service.toString());
            JsonNode link = service.path("links").get(0);
            assertEquals(result.traceId(), link.path("trace_id").asText());
            assertEquals(send.path("id").asText(), link.path("id").asText());
            assertEquals("parent", link.path("attributes").path("aws.xray.reserved.reference_type").asText());

            JsonNode callee = only(result.calleeSegments(), entity -> "AWS::Lambda::Function".equals(entity
                    .path("origin").asText()));
            assertEquals(service.path("id").asText(), callee.path("parent_id").asText());
            JsonNode handling = child(callee, "## handleQueueMessages");
            assertEquals(result.traceId(), handling.path("annotations").path("caller_trace_id").asText());
            assertEquals("ListBuckets", child(handling, "S3").path("aws").path("operation").asText());
            boto3FindsTheSameLink(fixture, result, link);
            theServiceGraphHasALinkEdgeFromTheQueueToTheConsumer(fixture);
        }
    }

    /** GetServiceGraph: the dashed SQS → Lambda edge, of type link, with the ages the consumer received events at. */
    private static void theServiceGraphHasALinkEdgeFromTheQueueToTheConsumer(LocalCloudFixture fixture) {
        List<Service> services = fixture.clients.xray().getServiceGraph(request -> request
                .startTime(Instant.now().minusSeconds(300)).endTime(Instant.now().plusSeconds(60))).services();
        Service queue = services.stream().filter(service -> "Sqs".equals(service.name())).findFirst().orElseThrow();
        Service consumer = services.stream().filter(service -> "AWS::Lambda".equals(service.type())
                && fixture.functionName("TriggeredFunction").equals(service.name())).findFirst().orElseThrow();
        Edge link = queue.edges().stream().filter(edge -> "link".equals(edge.edgeType())).findFirst()
                .orElseThrow(() -> new AssertionError("no link edge from the queue: " + queue));
        assertEquals(consumer.referenceId(), link.referenceId());
        assertEquals(1, link.receivedEventAgeHistogram().stream().mapToInt(HistogramEntry::count).sum(),
                link.toString());
    }

    /** The build's independent proof: boto3 reads the same link through GetTraceSummaries and BatchGetTraces. */
    private void boto3FindsTheSameLink(LocalCloudFixture fixture, TraceCheck.Result result, JsonNode link)
            throws Exception {
        JsonNode seen = HopTraces.read(fixture, work, result.traceId());

        assertEquals(result.calleeTraceId(), seen.path("consumer_trace_id").asText(), seen.toString());
        List<JsonNode> consumerSegments = new ArrayList<>();
        seen.path("consumer_segments").forEach(consumerSegments::add);
        JsonNode service = only(consumerSegments, segment -> "AWS::Lambda".equals(segment.path("origin").asText()));
        assertEquals(link.toString(), service.path("links").get(0).toString(), seen.toString());
        assertTrue(seen.path("producer_entity_ids").toString().contains("\"" + link.path("id").asText() + "\""),
                "the link names an entity of the producer's trace: " + seen);
    }

    @Test
    void theOpenTelemetryFlavorIsLinkedTheSameWay() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(LocalCloudFixture.ROOT.resolve("otel/template.yaml"),
                work, SQS_HOP)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LINKED, result.verdict(), result.explanation());
            // OpenTelemetry's spans reach X-Ray as documents of their own, so the client span is found in the whole trace.
            JsonNode send = only(result.segments(), entity -> "SendMessage".equals(entity.path("aws")
                    .path("operation").asText()) && !entity.path("inferred").asBoolean());
            JsonNode service = only(result.calleeSegments(), entity -> "AWS::Lambda".equals(entity.path("origin")
                    .asText()));
            assertEquals(send.path("id").asText(), service.path("links").get(0).path("id").asText());
        }
    }

    @Test
    void withoutTracePropagationTheConsumerStartsATraceThatLinksNothing() throws Exception {
        Map<String, String> parameters = Map.of("AsyncHop", "SQS", "TracePropagation", "Disabled");
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, parameters)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNotNull(result.calleeTraceId(), result.explanation());
            JsonNode service = only(result.calleeSegments(), entity -> "AWS::Lambda".equals(entity.path("origin")
                    .asText()));
            assertFalse(service.has("links"), service.toString());
            assertTrue(result.explanation().contains("no trace header"), result.explanation());
        }
    }

    @Test
    void aPassThroughConsumerLeavesNoSegment() throws Exception {
        Map<String, String> parameters = Map.of("AsyncHop", "SQS", "TriggeredTracingMode", "PassThrough");
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, parameters)) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNull(result.calleeTraceId(), result.explanation());
            assertTrue(fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                    .anyMatch(line -> line.startsWith("REPORT")), "the consumer did run, untraced");
        }
    }

    /**
     * ReportBatchItemFailures: the good message of a batch is handled once and deleted; the unreadable one comes
     * back after the visibility timeout until its receives reach the redrive policy's maxReceiveCount, then waits
     * in the dead-letter queue.
     */
    @Test
    void anUnreadableMessageLeavesItsBatchAndEndsInTheDeadLetterQueue() throws Exception {
        Path template = LocalCloudFixture.editedTemplate(Files.createDirectories(work.resolve("template")),
                "      VisibilityTimeout: 180", "      VisibilityTimeout: 2");
        try (LocalCloudFixture fixture = new LocalCloudFixture(template, work.resolve("cloud"), SQS_HOP);
                EdgeClients clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(30))) {
            SqsClient sqs = clients.sqs;
            String queue = fixture.cloud.stack().queueUrl("TriggeredQueue");
            String good = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
            sqs.sendMessageBatch(request -> request.queueUrl(queue).entries(
                    SendMessageBatchRequestEntry.builder().id("good").messageBody(good).build(),
                    SendMessageBatchRequestEntry.builder().id("unreadable").messageBody("not a payload").build()));

            String deadLetters = fixture.cloud.stack().queueUrl("TriggeredDeadLetterQueue");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            List<String> dead = List.of();
            while (dead.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
                dead = fixture.cloud.sqs().messages(fixture.cloud.stack().queueName("TriggeredDeadLetterQueue"))
                        .stream().map(message -> message.body()).toList();
            }

            assertEquals(List.of("not a payload"), dead, "the dead-letter queue at " + deadLetters);
            assertTrue(fixture.cloud.sqs().messages(fixture.cloud.stack().queueName("TriggeredQueue")).isEmpty());
            List<String> lines = fixture.cloud.log().lines(fixture.functionName("TriggeredFunction"));
            assertEquals(1, lines.stream().filter(line -> line.contains("Triggered by")).count(), lines.toString());
            assertEquals(3, lines.stream().filter(line -> line.contains("failed and goes back to the queue")).count(),
                    lines.toString());
        }
    }
}
