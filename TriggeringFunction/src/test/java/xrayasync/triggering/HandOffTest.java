package xrayasync.triggering;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/** Each hop's sender against loopback SQS, SNS and EventBridge: the request it makes, and what it says on failure. */
class HandOffTest {

    private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";
    private static final String CALLER_HEADER = "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=1"
            + ";Lineage=a87bd80c:1";
    private static final String QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/xray-async-Triggered";
    private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:xray-async-Triggered";
    private static final String BUS_NAME = "xray-async-triggered";
    private static final String PAYLOAD = "{\"schemaVersion\":1,\"callerRequestId\":\"c0ffee00\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension AWS = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingXRayDaemon daemon;
    private SdkHttpClient http;

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingXRayDaemon();
        DaemonConfiguration daemonConfiguration = new DaemonConfiguration();
        daemonConfiguration.setDaemonAddress(daemon.address());
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard()
                .withEmitter(Emitter.create(daemonConfiguration))
                .build());
        System.setProperty("aws.endpointUrl", AWS.baseUrl());
        System.setProperty(TRACE_HEADER_PROPERTY, CALLER_HEADER);
        http = PackagedHttpClient.create();
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\",\"MD5OfMessageBody\":\""
                                + md5(PAYLOAD) + "\"}")));
        AWS.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>95df01b4-ee98-5cb9-9903-4c221d41eb5e</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>f187a3c1</RequestId></ResponseMetadata>"
                                + "</PublishResponse>")));
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":"
                                + "\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}]}")));
    }

    @AfterEach
    void stopLoopbackAws() throws InterruptedException {
        System.clearProperty(TRACE_HEADER_PROPERTY);
        System.clearProperty("aws.endpointUrl");
        http.close();
        daemon.close();
    }

    @Test
    void sqsHopSendsThePayloadAsTheMessageBodyWithTheCallersTraceAndLineage() throws Exception {
        AsyncHandOff.Answer answer = handOff(AsyncHop.SQS, QUEUE_URL, TracePropagation.ENABLED).send(payload());

        LoggedRequest request = onlyRequest("AmazonSQS.SendMessage");
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertEquals(QUEUE_URL, body.path("QueueUrl").asText());
        assertEquals(PAYLOAD, body.path("MessageBody").asText());
        assertFalse(body.has("MessageAttributes"), "SQS makes AWSTraceHeader from the HTTP header");
        Map<String, String> trace = traceHeaderFields(request);
        assertEquals(TRACE_ID, trace.get("Root"));
        assertEquals("a87bd80c:1", trace.get("Lineage"), "SQS is a hop Lambda's loop detection counts");
        assertEquals(new AsyncHandOff.Answer(200, "5fea7756-0ea4-451a-a703-a558b933e274"), answer);
    }

    @Test
    void snsHopPublishesThePayloadAsTheMessageWithTheCallersTraceAndLineage() throws Exception {
        AsyncHandOff.Answer answer = handOff(AsyncHop.SNS, TOPIC_ARN, TracePropagation.ENABLED).send(payload());

        LoggedRequest request = onlyRequest(null);
        Map<String, String> form = formFields(request.getBodyAsString());
        assertEquals("Publish", form.get("Action"));
        assertEquals(TOPIC_ARN, form.get("TopicArn"));
        assertEquals(PAYLOAD, form.get("Message"));
        Map<String, String> trace = traceHeaderFields(request);
        assertEquals(TRACE_ID, trace.get("Root"));
        assertEquals("a87bd80c:1", trace.get("Lineage"), "SNS is a hop Lambda's loop detection counts");
        assertEquals("95df01b4-ee98-5cb9-9903-4c221d41eb5e", answer.id());
    }

    @Test
    void eventBridgeHopPutsOneEntryWhoseDetailIsThePayloadAndLeavesTraceHeaderToHttp() throws Exception {
        AsyncHandOff.Answer answer = handOff(AsyncHop.EVENT_BRIDGE, BUS_NAME, TracePropagation.ENABLED)
                .send(payload());

        LoggedRequest request = onlyRequest("AWSEvents.PutEvents");
        JsonNode entries = JSON.readTree(request.getBodyAsString()).path("Entries");
        assertEquals(1, entries.size());
        JsonNode entry = entries.get(0);
        assertEquals("xray-async.triggering", entry.path("Source").asText());
        assertEquals("TriggerPayload", entry.path("DetailType").asText());
        assertEquals(PAYLOAD, entry.path("Detail").asText());
        assertEquals(BUS_NAME, entry.path("EventBusName").asText());
        assertFalse(entry.has("TraceHeader"), "the HTTP header carries the trace");
        Map<String, String> trace = traceHeaderFields(request);
        assertEquals(TRACE_ID, trace.get("Root"));
        assertNull(trace.get("Lineage"), "EventBridge is no hop Lambda's loop detection counts");
        assertEquals(new AsyncHandOff.Answer(200, "11710aed-b79e-4468-a20b-bb3c0c3b4860"), answer);
    }

    @Test
    void propagationDisabledStripsTheTraceHeaderOnEveryHop() {
        handOff(AsyncHop.SQS, QUEUE_URL, TracePropagation.DISABLED).send(payload());
        handOff(AsyncHop.SNS, TOPIC_ARN, TracePropagation.DISABLED).send(payload());
        handOff(AsyncHop.EVENT_BRIDGE, BUS_NAME, TracePropagation.DISABLED).send(payload());

        List<LoggedRequest> requests = AWS.findAll(postRequestedFor(urlPathEqualTo("/")));
        assertEquals(3, requests.size());
        for (LoggedRequest request : requests) {
            assertNull(request.getHeader("X-Amzn-Trace-Id"), request.getBodyAsString());
        }
    }

    @Test
    void handlerOnTheSnsHopReportsTheHopAndTheMessageId() throws Exception {
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets/>"
                        + "</ListAllMyBucketsResult>")));
        TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1, AsyncHop.SNS,
                TOPIC_ARN, TracePropagation.ENABLED);
        InvocationContext context = new InvocationContext("c0ffee00-1111-2222-3333-444455556666",
                "xray-async-TriggeringFunction-Zz98Yy76");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new TriggeringHandler(TriggeringHandler.s3Client(Region.US_EAST_1, http),
                TriggeringHandler.handOff(configuration, http), configuration)
                .handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), output, context);

        JsonNode summary = JSON.readTree(output.toByteArray());
        assertEquals("SNS", summary.path("asyncHop").asText());
        assertEquals(TOPIC_ARN, summary.path("invokedFunction").asText());
        assertEquals(200, summary.path("invokeStatusCode").asInt());
        assertEquals("95df01b4-ee98-5cb9-9903-4c221d41eb5e", summary.path("handOffId").asText());
        assertTrue(context.logLines().stream().anyMatch(line -> line.contains("over the SNS hop asynchronously"
                + " (HTTP 200, id 95df01b4-ee98-5cb9-9903-4c221d41eb5e)")), context.logLines()::toString);
    }

    @Test
    void refusedEventBridgeEntryIsAFailureThatSaysTheErrorAndWhatToDo() {
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"AccessDeniedException\","
                                + "\"ErrorMessage\":\"User is not authorized to perform: events:PutEvents\"}]}")));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> handOff(AsyncHop.EVENT_BRIDGE, BUS_NAME, TracePropagation.ENABLED).send(payload()));

        assertEquals("EventBridge PutEvents to " + BUS_NAME + " refused the entry (AccessDeniedException: User is"
                + " not authorized to perform: events:PutEvents), so no event reached the bus; the execution role"
                + " needs events:PutEvents on the bus " + BUS_NAME + "; template.yaml grants it when AsyncHop is"
                + " EventBridge.", failure.getMessage());
    }

    @Test
    void unknownTopicNamesTheVariableAndTheStackOutput() {
        AWS.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
                                + "<Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message>"
                                + "</Error><RequestId>f187a3c1</RequestId></ErrorResponse>")));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> handOff(AsyncHop.SNS, TOPIC_ARN, TracePropagation.ENABLED).send(payload()));

        assertTrue(failure.getMessage().startsWith("SNS Publish to " + TOPIC_ARN + " failed with HTTP 404 NotFound"),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("What to do: TRIGGERED_TOPIC_ARN is '" + TOPIC_ARN + "', which"
                + " names no topic in this region; set it to the stack's TriggeredTopicArn output."),
                failure.getMessage());
    }

    @Test
    void deniedSendMessageNamesThePermission() {
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":"
                                + "\"not authorized to perform: sqs:sendmessage\"}")));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> handOff(AsyncHop.SQS, QUEUE_URL, TracePropagation.ENABLED).send(payload()));

        assertTrue(failure.getMessage().startsWith("SQS SendMessage to " + QUEUE_URL + " failed with HTTP 403"),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("What to do: the execution role needs sqs:SendMessage on "
                + QUEUE_URL + "; template.yaml grants it on the hop's queue when AsyncHop is SQS."),
                failure.getMessage());
    }

    @Test
    void payloadOverEachServicesLimitIsRejectedBeforeTheCall() {
        IllegalArgumentException sqs = assertThrows(IllegalArgumentException.class,
                () -> handOff(AsyncHop.SQS, QUEUE_URL, TracePropagation.ENABLED)
                        .send(new byte[QueueSender.MESSAGE_LIMIT + 1]));
        IllegalArgumentException sns = assertThrows(IllegalArgumentException.class,
                () -> handOff(AsyncHop.SNS, TOPIC_ARN, TracePropagation.ENABLED)
                        .send(new byte[TopicPublisher.MESSAGE_LIMIT + 1]));
        IllegalArgumentException bus = assertThrows(IllegalArgumentException.class,
                () -> handOff(AsyncHop.EVENT_BRIDGE, BUS_NAME, TracePropagation.ENABLED)
                        .send(new byte[EventBusSender.ENTRY_LIMIT]));

        assertTrue(sqs.getMessage().contains("over SQS's 1048576-byte message limit"), sqs.getMessage());
        assertTrue(sns.getMessage().contains("over SNS's 262144-byte message limit"), sns.getMessage());
        assertTrue(bus.getMessage().contains("over EventBridge's 262144-byte entry limit"), bus.getMessage());
        assertEquals(0, AWS.getAllServeEvents().size());
    }

    @Test
    void snapStartPrimingRunsTheConfiguredHopsCallAgainstCannedAnswersOnly() {
        for (String[] hop : new String[][] {{"SQS", QUEUE_URL}, {"SNS", TOPIC_ARN}, {"EventBridge", BUS_NAME}}) {
            TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1,
                    AsyncHop.parse("test", hop[0]), hop[1], TracePropagation.ENABLED);

            assertEquals(List.of("GET /", "POST /"), new SnapStartPriming(configuration).prime(), hop[0]);
        }
        assertEquals(0, AWS.getAllServeEvents().size());
    }

    private AsyncHandOff handOff(AsyncHop hop, String destination, TracePropagation propagation) {
        AsyncHandOff handOff = TriggeringHandler.handOff(
                new TriggeringConfiguration(Region.US_EAST_1, hop, destination, propagation), http);
        assertEquals(hop, handOff.hop());
        assertEquals(destination, handOff.target());
        return handOff;
    }

    private static byte[] payload() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    private static LoggedRequest onlyRequest(String target) {
        List<LoggedRequest> requests = AWS.findAll(postRequestedFor(urlPathEqualTo("/")));
        assertEquals(1, requests.size(), "requests");
        assertEquals(target, requests.getFirst().getHeader("X-Amz-Target"));
        return requests.getFirst();
    }

    private static Map<String, String> traceHeaderFields(LoggedRequest request) {
        String header = request.getHeader("X-Amzn-Trace-Id");
        assertTrue(header != null && !header.isBlank(), "X-Amzn-Trace-Id is present");
        return Arrays.stream(header.split(";"))
                .map(field -> field.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0].trim(), pair -> pair[1].trim()));
    }

    private static Map<String, String> formFields(String body) {
        return Arrays.stream(body.split("&"))
                .map(field -> field.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("The JVM offers no MD5, which every Java platform must.", missing);
        }
    }
}
