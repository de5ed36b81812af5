package xrayasync.otel.triggered;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/** TriggeredFunction (OpenTelemetry) against a real S3 client on loopback HTTP and a UDP X-Ray daemon. */
class TriggeredHandlerTest {

    private static final String CALLER_TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";
    /** The caller's trace as OpenTelemetry writes it. */
    private static final String OTEL_CALLER_TRACE_ID = "6743a1b20123456789abcdef01234567";
    private static final String LAMBDA_SEGMENT_ID = "7b1e2c3d4e5f6a7b";
    /** TelemetryPriming's sample trace as OpenTelemetry writes it. */
    private static final String PRIMING_TRACE_ID = "5759e988bd862e3fe1be46a994272793";
    private static final String CONTINUED_HEADER = "Root=" + CALLER_TRACE_ID + ";Parent=" + LAMBDA_SEGMENT_ID
            + ";Sampled=1";
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
    private final InvocationContext context = new InvocationContext("d00dfeed-7777-8888-9999-000011112222",
            FUNCTION_NAME);

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingOtlpDaemon();
        telemetry = LambdaTelemetry.create(System.getenv(), XRayUdpSpanExporter.to(daemon.address()));
        System.setProperty("aws.endpointUrl", S3.baseUrl());
        http = PackagedHttpClient.create();
        S3.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets>"
                        + "<Bucket><Name>alpha</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                        + "<Bucket><Name>beta</Name><CreationDate>2026-01-02T00:00:00.000Z</CreationDate></Bucket>"
                        + "<Bucket><Name>gamma</Name><CreationDate>2026-01-03T00:00:00.000Z</CreationDate></Bucket>"
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
    void theSdkClientsUseTheOneHttpClientThePackageCarries() {
        assertEquals("UrlConnection", PackagedHttpClient.create().clientName());
    }

    @Test
    void serverSpanCarriesTheCallerAttributesListedAsXRayAnnotations() throws Exception {
        handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER);

        Map<String, Object> attributes = attributes(serverSpan(2));
        assertEquals("c0ffee00-1111-2222-3333-444455556666", attributes.get("caller_request_id"));
        assertEquals(CALLER_TRACE_ID, attributes.get("caller_trace_id"));
        assertEquals("xray-async-TriggeringFunction-Zz98Yy76", attributes.get("caller_function_name"));
        assertEquals(List.of("caller_request_id", "caller_function_name", "caller_trace_id"),
                attributes.get("aws.xray.annotations"));
    }

    @Test
    void theServerSpanContinuesTheTraceUnderLambdasSegment() throws Exception {
        handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER);

        Span server = serverSpan(2);
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, server.getKind());
        assertEquals(OTEL_CALLER_TRACE_ID, RecordingOtlpDaemon.hex(server.getTraceId()));
        assertEquals(LAMBDA_SEGMENT_ID, RecordingOtlpDaemon.hex(server.getParentSpanId()));
    }

    @Test
    void aCallerWithoutTraceIsAnnotatedWithWhatItSent() throws Exception {
        handle(TriggerPayloadTest.validPayload().putNull("callerTraceHeader").toString(), CONTINUED_HEADER);

        Map<String, Object> attributes = attributes(serverSpan(2));
        assertEquals(List.of("caller_request_id", "caller_function_name"), attributes.get("aws.xray.annotations"));
        assertFalse(attributes.containsKey("caller_trace_id"));
    }

    @Test
    void bucketListingIsAnS3ClientSpanUnderTheServerSpan() throws Exception {
        handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER);

        Map<String, Span> spans = daemon.awaitSpansByName(2, ARRIVAL);
        Span s3Call = spans.get("S3.ListBuckets");
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s3Call.getKind());
        assertEquals(spans.get(FUNCTION_NAME).getSpanId(), s3Call.getParentSpanId());
        assertEquals("ListBuckets", attributes(s3Call).get("rpc.method"));
        assertEquals(200L, attributes(s3Call).get("http.response.status_code"));
    }

    @Test
    void summarySaysTheCallersTraceWasJoined() throws Exception {
        Instant sentAt = Instant.now().minusMillis(40);
        JsonNode summary = handle(TriggerPayloadTest.validPayload().put("sentAt", sentAt.toString()).toString(),
                CONTINUED_HEADER);

        assertEquals(3, summary.path("bucketCount").asInt());
        assertEquals(CALLER_TRACE_ID, summary.path("traceId").asText());
        assertEquals(CALLER_TRACE_ID, summary.path("callerTraceId").asText());
        assertTrue(summary.path("joinedCallersTrace").asBoolean());
        assertTrue(summary.path("asyncHopMillis").asLong() >= 40, summary.toString());
        assertEquals(context.getAwsRequestId(), summary.path("requestId").asText());
    }

    @Test
    void summarySaysWhenTheCallersTraceWasLost() throws Exception {
        String unrelated = "Root=1-6743a1b9-fedcba9876543210fedcba98;Parent=" + LAMBDA_SEGMENT_ID + ";Sampled=1";

        JsonNode summary = handle(TriggerPayloadTest.validPayload().toString(), unrelated);

        assertFalse(summary.path("joinedCallersTrace").asBoolean());
        assertEquals(CALLER_TRACE_ID, attributes(serverSpan(2)).get("caller_trace_id"));
    }

    @Test
    void unsampledInvocationExportsNothing() throws Exception {
        JsonNode summary = handle(TriggerPayloadTest.validPayload().toString(),
                CONTINUED_HEADER.replace("Sampled=1", "Sampled=0"));

        assertEquals(3, summary.path("bucketCount").asInt());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void aPassThroughInvocationWithARootOnlyHeaderExportsNothing() throws Exception {
        JsonNode summary = handle(TriggerPayloadTest.validPayload().toString(), "Root=" + CALLER_TRACE_ID);

        assertTrue(summary.path("joinedCallersTrace").asBoolean(), "Lambda kept the Root, traced or not");
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void withoutTraceHeaderTheFunctionStillWorks() throws Exception {
        JsonNode summary = handle(TriggerPayloadTest.validPayload().toString(), null);

        assertEquals(3, summary.path("bucketCount").asInt());
        assertTrue(summary.path("traceId").isNull());
        assertFalse(summary.path("joinedCallersTrace").asBoolean());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void invalidPayloadFailsTheInvocationAndIsRecordedOnTheServerSpan() throws Exception {
        InvalidPayloadException failure = assertThrows(InvalidPayloadException.class,
                () -> handle(TriggerPayloadTest.validPayload().put("schemaVersion", 2).toString(), CONTINUED_HEADER));

        Span server = serverSpan(1);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.getStatus().getCode());
        Span.Event exception = server.getEventsList().stream().filter(event -> event.getName().equals("exception"))
                .findFirst().orElseThrow();
        assertEquals(failure.getMessage(),
                RecordingOtlpDaemon.attributes(exception.getAttributesList()).get("exception.message"));
        assertEquals(0, S3.getAllServeEvents().size());
    }

    @Test
    void s3AccessDeniedIsNotRetriedAndNamesTheMissingPermission() {
        S3.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody(s3Error("AccessDenied", "Access Denied"))));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER));

        assertEquals(1, S3.findAll(getRequestedFor(urlPathEqualTo("/"))).size());
        assertTrue(failure.getMessage().startsWith("S3 ListBuckets failed with HTTP 403 AccessDenied after 1 attempt:"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("What to do: the execution role needs s3:ListAllMyBuckets"),
                failure.getMessage());
    }

    @Test
    void s3ServerErrorIsRetriedThenLeftToLambdasAsyncRetries() {
        S3.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/xml")
                .withBody(s3Error("InternalError", "We encountered an internal error. Please try again."))));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER));

        int attempts = S3.findAll(getRequestedFor(urlPathEqualTo("/"))).size();
        assertTrue(attempts > 1, "the SDK retries a 500");
        assertTrue(failure.getMessage().startsWith(
                "S3 ListBuckets failed with HTTP 500 InternalError after " + attempts + " attempts"), failure.getMessage());
        assertTrue(failure.getMessage().contains("What to do: Lambda retries this event per the stack's"
                + " EventInvokeConfig, then sends it to the failure queue; on the SQS hop the queue delivers the"
                + " message again after its visibility timeout"), failure.getMessage());
    }

    @Test
    void logNamesTheCallerAndThePayloadSizeButNeverThePayload() throws Exception {
        String payload = TriggerPayloadTest.validPayload().put("note", "do-not-log-this-value").toString();

        handle(payload, CONTINUED_HEADER);

        String logged = String.join("\n", context.logLines());
        assertTrue(logged.contains("c0ffee00-1111-2222-3333-444455556666"), logged);
        assertTrue(logged.contains("payload " + payload.getBytes(StandardCharsets.UTF_8).length + " bytes"), logged);
        assertFalse(logged.contains("do-not-log-this-value"), logged);
        assertFalse(logged.contains("2026-11-24T10:15:30.123Z"), logged);
    }

    @Test
    void lambdaInitFailsWithoutARegion() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> TriggeredHandler.region(" "));

        assertTrue(failure.getMessage().startsWith("Environment variable AWS_REGION is missing or empty"));
    }

    @Test
    void aTraceTheFunctionStartsItselfHasAnXRayTraceIdOfTheInvocationsSecond() throws Exception {
        long before = Instant.now().getEpochSecond();
        handle(TriggerPayloadTest.validPayload().toString(), null);

        String header = S3.findAll(getRequestedFor(urlPathEqualTo("/"))).getFirst().getHeader("X-Amzn-Trace-Id");
        String root = LambdaTraceHeader.parse(header).traceId();
        assertNotNull(root, header);
        XRayIdGeneratorTest.assertXRayTraceIdOfASecondBetween(before, root.substring(2).replace("-", ""),
                Instant.now().getEpochSecond());
    }

    @Test
    void snapStartPrimingListsBucketsAgainstACannedAnswerOnly() {
        assertEquals(List.of("GET /"), handler().prime().requests());
        assertEquals(0, S3.getAllServeEvents().size());
    }

    @Test
    void snapStartPrimingEncodesTheSpanOfItsCallButSendsNoDatagram() throws Exception {
        List<RecordingOtlpDaemon.Datagram> encoded = handler().prime().datagrams().stream()
                .map(RecordingOtlpDaemon::parse).toList();

        Span s3Call = RecordingOtlpDaemon.byName(encoded).get("S3.ListBuckets");
        assertEquals(1, encoded.stream().mapToInt(datagram -> datagram.spans().size()).sum());
        assertEquals(PRIMING_TRACE_ID, RecordingOtlpDaemon.hex(s3Call.getTraceId()));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    @Test
    void snapStartPrimingExtractsAndInjectsItsSampleTraceHeaderUnchanged() {
        assertEquals(TelemetryPriming.SAMPLE_TRACE_HEADER, handler().prime().propagatedTraceHeader());
    }

    @Test
    void anInvocationAfterSnapStartPrimingIsTracedAsWithoutIt() throws Exception {
        TriggeredHandler handler = handler();
        handler.beforeCheckpoint(null);

        assertEquals(3, handle(handler, TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER)
                .path("bucketCount").asInt());

        Map<String, Span> spans = daemon.awaitSpansByName(2, ARRIVAL);
        assertEquals(Set.of(FUNCTION_NAME, "S3.ListBuckets"), spans.keySet());
        spans.values().forEach(span -> assertEquals(OTEL_CALLER_TRACE_ID, RecordingOtlpDaemon.hex(span.getTraceId())));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)), "no span of priming's arrives later");
        assertEquals(1, S3.getAllServeEvents().size(), "one ListBuckets");
    }

    @Test
    void theXRaySdkIsNotOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.amazonaws.xray.AWSXRay"));
    }

    private JsonNode handle(String payload, String traceHeader) throws IOException {
        return handle(handler(), payload, traceHeader);
    }

    /** The handler as Lambda builds it, on this test's SDK, HTTP client and loopback S3. */
    private TriggeredHandler handler() {
        return new TriggeredHandler(telemetry,
                TriggeredHandler.s3Client(Region.US_EAST_1, http, AwsSdkTelemetry.create(telemetry)));
    }

    /** Runs one invocation the way the Java runtime does: trace header in the system property, then the handler. */
    private JsonNode handle(TriggeredHandler handler, String payload, String traceHeader) throws IOException {
        if (traceHeader != null) {
            System.setProperty(LambdaTraceHeader.PROPERTY, traceHeader);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    /** The invocation's SERVER span, once the given number of spans arrived. */
    private Span serverSpan(int spans) throws InterruptedException {
        return daemon.awaitSpansByName(spans, ARRIVAL).get(FUNCTION_NAME);
    }

    private static Map<String, Object> attributes(Span span) {
        return RecordingOtlpDaemon.attributes(span.getAttributesList());
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    }
}
