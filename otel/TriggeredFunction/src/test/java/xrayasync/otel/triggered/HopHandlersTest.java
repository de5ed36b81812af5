package xrayasync.otel.triggered;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/** TriggeredFunction's (OpenTelemetry) SQS, SNS and EventBridge handler methods, with the events those hops deliver. */
class HopHandlersTest {

    private static final String CONSUMER_TRACE_ID = "1-6743a1c0-00112233445566778899aabb";
    private static final String OTEL_CONSUMER_TRACE_ID = "6743a1c000112233445566778899aabb";
    private static final String LAMBDA_SEGMENT_ID = "7b1e2c3d4e5f6a7b";
    private static final String CONSUMER_HEADER = "Root=" + CONSUMER_TRACE_ID + ";Parent=" + LAMBDA_SEGMENT_ID
            + ";Sampled=1";
    private static final String CALLER_REQUEST_ID = "c0ffee00-1111-2222-3333-444455556666";
    private static final String FUNCTION_NAME = "xray-async-TriggeredFunction-Ab12Cd34";
    private static final Duration ARRIVAL = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension S3 = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingOtlpDaemon daemon;
    private OpenTelemetrySdk telemetry;
    private SdkHttpClient http;
    private TriggeredHandler handler;
    private final InvocationContext context = new InvocationContext("d00dfeed-7777-8888-9999-000011112222",
            FUNCTION_NAME);

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingOtlpDaemon();
        telemetry = LambdaTelemetry.create(System.getenv(), XRayUdpSpanExporter.to(daemon.address()));
        System.setProperty("aws.endpointUrl", S3.baseUrl());
        System.setProperty(LambdaTraceHeader.PROPERTY, CONSUMER_HEADER);
        http = PackagedHttpClient.create();
        handler = new TriggeredHandler(telemetry,
                TriggeredHandler.s3Client(Region.US_EAST_1, http, AwsSdkTelemetry.create(telemetry)));
        S3.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets>"
                        + "<Bucket><Name>alpha</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                        + "</Buckets></ListAllMyBucketsResult>")));
    }

    @AfterEach
    void stopLoopbackAws() throws InterruptedException {
        System.clearProperty(LambdaTraceHeader.PROPERTY);
        System.clearProperty("aws.endpointUrl");
        http.close();
        telemetry.close();
        daemon.close();
    }

    @Test
    void queueBatchReportsOnlyTheBadMessageAndGivesEachPayloadASpanUnderTheServerSpan() throws Exception {
        SQSEvent batch = queueEvent(message("m-1", TriggerPayloadTest.validPayload().toString()),
                message("m-2", "{\"schemaVersion\":2}"),
                message("m-3", TriggerPayloadTest.validPayload().put("callerRequestId", "second").toString()));

        SQSBatchResponse response = handler.handleQueueMessages(batch, context);

        assertEquals(List.of("m-2"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        // The server span, three payload spans, and the two good payloads' ListBuckets.
        List<Span> spans = spans(6);
        Span server = only(spans, FUNCTION_NAME);
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, server.getKind());
        assertEquals(OTEL_CONSUMER_TRACE_ID, RecordingOtlpDaemon.hex(server.getTraceId()));
        assertEquals(LAMBDA_SEGMENT_ID, RecordingOtlpDaemon.hex(server.getParentSpanId()));
        List<Span> payloadSpans = spans.stream()
                .filter(span -> span.getName().equals(TriggeredHandler.QUEUE_SPAN)).toList();
        assertEquals(3, payloadSpans.size());
        assertTrue(payloadSpans.stream().allMatch(span -> span.getParentSpanId().equals(server.getSpanId())));
        assertEquals(List.of(CALLER_REQUEST_ID, "second"), payloadSpans.stream()
                .map(span -> (String) attributes(span).get("caller_request_id")).filter(id -> id != null)
                .sorted().toList());
        assertEquals(1, payloadSpans.stream()
                .filter(span -> span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).count());
    }

    @Test
    void notificationPayloadSpanCarriesTheCallerAnnotationsInTheContinuedTrace() throws Exception {
        handler.handleNotification(notification(TriggerPayloadTest.validPayload().toString()), context);

        List<Span> spans = spans(3);
        Span payload = only(spans, TriggeredHandler.NOTIFICATION_SPAN);
        assertEquals(OTEL_CONSUMER_TRACE_ID, RecordingOtlpDaemon.hex(payload.getTraceId()));
        assertEquals(only(spans, FUNCTION_NAME).getSpanId(), payload.getParentSpanId());
        Map<String, Object> attributes = attributes(payload);
        assertEquals(CALLER_REQUEST_ID, attributes.get("caller_request_id"));
        assertEquals(List.of("caller_request_id", "caller_function_name", "caller_trace_id"),
                attributes.get("aws.xray.annotations"));
    }

    @Test
    void badNotificationPayloadFailsTheInvocationAndTheServerSpan() throws Exception {
        ObjectNode withoutSentAt = TriggerPayloadTest.validPayload();
        withoutSentAt.remove("sentAt");

        InvalidPayloadException failure = assertThrows(InvalidPayloadException.class,
                () -> handler.handleNotification(notification(withoutSentAt.toString()), context));

        assertEquals("Field 'sentAt' is missing from the payload.", failure.getMessage());
        Span server = only(spans(2), FUNCTION_NAME);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.getStatus().getCode());
    }

    @Test
    void eventDetailIsParsedAsThePayload() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = JSON.convertValue(TriggerPayloadTest.validPayload(), Map.class);

        handler.handleEvent(new ScheduledEvent().withSource("xray-async.triggering").withDetailType("TriggerPayload")
                .withDetail(detail), context);

        Span payload = only(spans(3), TriggeredHandler.EVENT_SPAN);
        assertEquals("xray-async-TriggeringFunction-Zz98Yy76", attributes(payload).get("caller_function_name"));
    }

    private List<Span> spans(int count) throws InterruptedException {
        return daemon.awaitSpans(count, ARRIVAL).stream().flatMap(datagram -> datagram.spans().stream()).toList();
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> named = spans.stream().filter(span -> span.getName().equals(name)).toList();
        assertEquals(1, named.size(), () -> "spans named " + name + " among "
                + spans.stream().map(Span::getName).toList());
        return named.getFirst();
    }

    private static Map<String, Object> attributes(Span span) {
        return RecordingOtlpDaemon.attributes(span.getAttributesList());
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
