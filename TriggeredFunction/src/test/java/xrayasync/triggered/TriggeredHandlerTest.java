package xrayasync.triggered;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeredFunction against a real S3 client on loopback HTTP and a UDP X-Ray daemon. */
class TriggeredHandlerTest {

    private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String CALLER_TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";
    private static final String LAMBDA_SEGMENT_ID = "7b1e2c3d4e5f6a7b";
    private static final String CONTINUED_HEADER = "Root=" + CALLER_TRACE_ID + ";Parent=" + LAMBDA_SEGMENT_ID
            + ";Sampled=1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension S3 = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingXRayDaemon daemon;
    private S3Client s3;
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
        s3 = TriggeredHandler.s3Client(Region.US_EAST_1, PackagedHttpClient.create());
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
        System.clearProperty(TRACE_HEADER_PROPERTY);
        System.clearProperty("aws.endpointUrl");
        s3.close();
        daemon.close();
    }

    @Test
    void handlerSubsegmentCarriesTheCallerAnnotationsInTheContinuedTrace() throws Exception {
        handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER);

        JsonNode handling = daemon.await(1, Duration.ofSeconds(5)).getFirst();
        assertEquals(TriggeredHandler.HANDLER_SUBSEGMENT, handling.path("name").asText());
        assertEquals(CALLER_TRACE_ID, handling.path("trace_id").asText());
        assertEquals(LAMBDA_SEGMENT_ID, handling.path("parent_id").asText());
        JsonNode annotations = handling.path("annotations");
        assertEquals("c0ffee00-1111-2222-3333-444455556666", annotations.path("caller_request_id").asText());
        assertEquals(CALLER_TRACE_ID, annotations.path("caller_trace_id").asText());
        assertEquals("xray-async-TriggeringFunction-Zz98Yy76", annotations.path("caller_function_name").asText());
    }

    @Test
    void bucketListingIsAnS3SubsegmentUnderTheHandler() throws Exception {
        handle(TriggerPayloadTest.validPayload().toString(), CONTINUED_HEADER);

        JsonNode handling = daemon.await(1, Duration.ofSeconds(5)).getFirst();
        JsonNode s3Call = handling.path("subsegments").get(0);
        assertEquals("S3", s3Call.path("name").asText());
        assertEquals("ListBuckets", s3Call.path("aws").path("operation").asText());
        assertEquals(200, s3Call.path("http").path("response").path("status").asInt());
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
        assertEquals(CALLER_TRACE_ID, daemon.await(1, Duration.ofSeconds(5)).getFirst()
                .path("annotations").path("caller_trace_id").asText());
    }

    @Test
    void unsampledInvocationSendsNothingToTheDaemon() throws Exception {
        JsonNode summary = handle(TriggerPayloadTest.validPayload().toString(),
                CONTINUED_HEADER.replace("Sampled=1", "Sampled=0"));

        assertEquals(3, summary.path("bucketCount").asInt());
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
    void invalidPayloadFailsTheInvocationAndIsRecordedOnTheTrace() throws Exception {
        InvalidPayloadException failure = assertThrows(InvalidPayloadException.class,
                () -> handle(TriggerPayloadTest.validPayload().put("schemaVersion", 2).toString(), CONTINUED_HEADER));

        JsonNode handling = daemon.await(1, Duration.ofSeconds(5)).getFirst();
        assertTrue(handling.path("fault").asBoolean() || handling.path("error").asBoolean(), handling.toString());
        assertEquals(failure.getMessage(), handling.path("cause").path("exceptions").get(0).path("message").asText());
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
    void theSdkClientsUseTheOneHttpClientThePackageCarries() {
        assertEquals("UrlConnection", PackagedHttpClient.create().clientName());
    }

    @Test
    void snapStartPrimingListsBucketsWithoutCallingS3() throws InterruptedException {
        assertEquals(List.of("GET /"), new SnapStartPriming(Region.US_EAST_1).prime());
        new TriggeredHandler(s3, Region.US_EAST_1).beforeCheckpoint(null);

        assertEquals(0, S3.getAllServeEvents().size());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)), "an untraced priming sends nothing");
    }

    @Test
    void lambdaInitFailsWithoutARegion() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> TriggeredHandler.region(" "));

        assertTrue(failure.getMessage().startsWith("Environment variable AWS_REGION is missing or empty"));
    }

    /** Runs one invocation the way the Java runtime does: trace header in the system property, then the handler. */
    private JsonNode handle(String payload, String traceHeader) throws IOException {
        if (traceHeader != null) {
            System.setProperty(TRACE_HEADER_PROPERTY, traceHeader);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new TriggeredHandler(s3, Region.US_EAST_1).handleRequest(
                new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    }
}
