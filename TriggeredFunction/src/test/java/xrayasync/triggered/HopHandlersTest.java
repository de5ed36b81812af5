package xrayasync.triggered;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeredFunction's SQS, SNS and EventBridge handler methods, called with the events those hops deliver. */
class HopHandlersTest {

    private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String CONSUMER_TRACE_ID = "1-6743a1c0-00112233445566778899aabb";
    private static final String CONSUMER_HEADER = "Root=" + CONSUMER_TRACE_ID + ";Parent=7b1e2c3d4e5f6a7b;Sampled=1";
    private static final String CALLER_REQUEST_ID = "c0ffee00-1111-2222-3333-444455556666";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension S3 = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingXRayDaemon daemon;
    private S3Client s3;
    private TriggeredHandler handler;
    private final InvocationContext context = new InvocationContext("d00dfeed-7777-8888-9999-000011112222",
            "xray-async-TriggeredFunction-Ab12Cd34");

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingXRayDaemon();
        DaemonConfiguration daemonConfiguration = new DaemonConfiguration();
        daemonConfiguration.setDaemonAddress(daemon.address());
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard()
                .withEmitter(Emitter.create(daemonConfiguration))
                .build());
        System.setProperty("aws.endpointUrl", S3.baseUrl());
        System.setProperty(TRACE_HEADER_PROPERTY, CONSUMER_HEADER);
        s3 = TriggeredHandler.s3Client(Region.US_EAST_1, PackagedHttpClient.create());
        handler = new TriggeredHandler(s3, Region.US_EAST_1);
        listBucketsAnswers(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets>"
                + "<Bucket><Name>alpha</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                + "</Buckets></ListAllMyBucketsResult>");
    }

    @AfterEach
    void stopLoopbackAws() throws InterruptedException {
        System.clearProperty(TRACE_HEADER_PROPERTY);
        System.clearProperty("aws.endpointUrl");
        s3.close();
        daemon.close();
    }

    @Test
    void queueBatchReportsOnlyTheMessageWhosePayloadIsBad() throws Exception {
        SQSEvent batch = queueEvent(message("m-1", TriggerPayloadTest.validPayload().toString()),
                message("m-2", "not json"),
                message("m-3", TriggerPayloadTest.validPayload().put("callerRequestId", "second").toString()));

        SQSBatchResponse response = handler.handleQueueMessages(batch, context);

        assertEquals(List.of("m-2"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertTrue(context.logLines().stream().anyMatch(line -> line.startsWith("ERROR Message m-2 failed and goes"
                + " back to the queue for a retry: The payload is not valid JSON")), context.logLines()::toString);
        assertEquals(2, context.logLines().stream().filter(line -> line.startsWith("INFO Triggered by")).count(),
                context.logLines()::toString);
        List<JsonNode> subsegments = daemon.await(3, Duration.ofSeconds(5));
        assertTrue(subsegments.stream().allMatch(subsegment ->
                TriggeredHandler.QUEUE_SUBSEGMENT.equals(subsegment.path("name").asText())), subsegments::toString);
        assertEquals(List.of(CALLER_REQUEST_ID, "second"), subsegments.stream()
                .map(subsegment -> subsegment.path("annotations").path("caller_request_id").asText(null))
                .filter(id -> id != null).sorted().toList());
    }

    @Test
    void queueBatchReportsEveryMessageWhenS3Fails() {
        listBucketsAnswers(403, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                + "<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>");
        SQSEvent batch = queueEvent(message("m-1", TriggerPayloadTest.validPayload().toString()),
                message("m-2", TriggerPayloadTest.validPayload().toString()));

        SQSBatchResponse response = handler.handleQueueMessages(batch, context);

        assertEquals(List.of("m-1", "m-2"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertTrue(context.logLines().stream().anyMatch(line -> line.contains("Message m-1 failed")
                && line.contains("s3:ListAllMyBuckets")), context.logLines()::toString);
    }

    @Test
    void emptyBatchSucceedsWithNoFailures() {
        assertEquals(List.of(), handler.handleQueueMessages(new SQSEvent(), context).getBatchItemFailures());
    }

    @Test
    void notificationMessageIsThePayloadOnItsOwnSubsegment() throws Exception {
        handler.handleNotification(notification(TriggerPayloadTest.validPayload().toString()), context);

        JsonNode handling = daemon.await(1, Duration.ofSeconds(5)).getFirst();
        assertEquals(TriggeredHandler.NOTIFICATION_SUBSEGMENT, handling.path("name").asText());
        assertEquals(CONSUMER_TRACE_ID, handling.path("trace_id").asText());
        assertEquals(CALLER_REQUEST_ID, handling.path("annotations").path("caller_request_id").asText());
        assertTrue(context.logLines().stream().anyMatch(line -> line.startsWith("INFO Triggered by")
                && line.contains("1 buckets")), context.logLines()::toString);
    }

    @Test
    void badNotificationPayloadFailsTheInvocationSoLambdaRetriesIt() {
        ObjectNode withoutSentAt = TriggerPayloadTest.validPayload();
        withoutSentAt.remove("sentAt");

        InvalidPayloadException failure = assertThrows(InvalidPayloadException.class,
                () -> handler.handleNotification(notification(withoutSentAt.toString()), context));

        assertEquals("Field 'sentAt' is missing from the payload.", failure.getMessage());
        assertEquals(0, S3.getAllServeEvents().size());
    }

    @Test
    void eventDetailIsParsedAsThePayload() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = JSON.convertValue(TriggerPayloadTest.validPayload(), Map.class);

        handler.handleEvent(new ScheduledEvent().withSource("xray-async.triggering").withDetailType("TriggerPayload")
                .withDetail(detail), context);

        JsonNode handling = daemon.await(1, Duration.ofSeconds(5)).getFirst();
        assertEquals(TriggeredHandler.EVENT_SUBSEGMENT, handling.path("name").asText());
        assertEquals("xray-async-TriggeringFunction-Zz98Yy76",
                handling.path("annotations").path("caller_function_name").asText());
    }

    @Test
    void eventWithoutDetailFailsSayingWhatItExpects() {
        InvalidPayloadException failure = assertThrows(InvalidPayloadException.class,
                () -> handler.handleEvent(new ScheduledEvent().withSource("xray-async.triggering"), context));

        assertTrue(failure.getMessage().startsWith("The payload must be a JSON object, got nothing."),
                failure.getMessage());
    }

    private void listBucketsAnswers(int status, String body) {
        S3.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/xml").withBody(body)));
    }

    private static SQSEvent queueEvent(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    private static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setEventSource("aws:sqs");
        return message;
    }

    private static SNSEvent notification(String message) {
        return new SNSEvent().withRecords(List.of(new SNSEvent.SNSRecord().withEventSource("aws:sns")
                .withSns(new SNSEvent.SNS().withMessage(message).withType("Notification"))));
    }
}
