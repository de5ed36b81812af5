package xrayasync.triggering;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/** TriggeringFunction against real SDK clients, S3 and Lambda on loopback HTTP, and a UDP X-Ray daemon. */
class TriggeringHandlerTest {

    private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String ALIAS_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:xray-async-TriggeredFunction-Ab12Cd34:live";
    private static final String TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";
    private static final String FACADE_ID = "53995c3f42cd8ad8";
    private static final String SAMPLED_HEADER = "Root=" + TRACE_ID + ";Parent=" + FACADE_ID + ";Sampled=1";
    private static final String UNSAMPLED_HEADER = "Root=" + TRACE_ID + ";Parent=" + FACADE_ID + ";Sampled=0";
    private static final String INVOKE_PATH = "/2015-03-31/functions/.*/invocations";
    private static final Duration ARRIVAL = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension AWS = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingXRayDaemon daemon;
    private SdkHttpClient http;
    private final InvocationContext context = new InvocationContext("c0ffee00-1111-2222-3333-444455556666",
            "xray-async-TriggeringFunction-Zz98Yy76");

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingXRayDaemon();
        DaemonConfiguration daemonConfiguration = new DaemonConfiguration();
        daemonConfiguration.setDaemonAddress(daemon.address());
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard()
                .withEmitter(Emitter.create(daemonConfiguration))
                .build());
        System.setProperty("aws.endpointUrl", AWS.baseUrl());
        http = PackagedHttpClient.create();
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody(listBucketsResult("alpha", "beta"))));
        AWS.stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(aResponse().withStatus(202)));
    }

    @AfterEach
    void stopLoopbackAws() throws InterruptedException {
        System.clearProperty(TRACE_HEADER_PROPERTY);
        System.clearProperty("aws.endpointUrl");
        http.close();
        daemon.close();
    }

    @Test
    void invokeIsAnAsyncCallToTheAliasCarryingTheCallersTrace() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        LoggedRequest invoke = onlyInvokeRequest();
        assertEquals("/2015-03-31/functions/" + ALIAS_ARN + "/invocations",
                URLDecoder.decode(invoke.getUrl(), StandardCharsets.UTF_8));
        assertEquals("Event", invoke.getHeader("X-Amz-Invocation-Type"));
        Map<String, String> propagated = traceHeaderFields(invoke.getHeader("X-Amzn-Trace-Id"));
        JsonNode lambdaSubsegment = subsegmentsByName().get("Lambda");
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertEquals(lambdaSubsegment.path("id").asText(), propagated.get("Parent"));
        assertEquals("1", propagated.get("Sampled"));
    }

    @Test
    void awsCallsArriveAtTheDaemonAsSubsegmentsOfTheFunctionSegment() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        Map<String, JsonNode> subsegments = subsegmentsByName();
        JsonNode s3 = subsegments.get("S3");
        JsonNode lambda = subsegments.get("Lambda");
        for (JsonNode subsegment : List.of(s3, lambda)) {
            assertEquals("subsegment", subsegment.path("type").asText());
            assertEquals(TRACE_ID, subsegment.path("trace_id").asText());
            assertEquals(FACADE_ID, subsegment.path("parent_id").asText());
            assertEquals("aws", subsegment.path("namespace").asText());
        }
        assertEquals("ListBuckets", s3.path("aws").path("operation").asText());
        assertEquals("Invoke", lambda.path("aws").path("operation").asText());
        assertEquals("Event", lambda.path("aws").path("invocation_type").asText());
        assertEquals(ALIAS_ARN, lambda.path("aws").path("function_name").asText());
        assertEquals(202, lambda.path("http").path("response").path("status").asInt());
    }

    @Test
    void payloadNamesTheCallerAndTheTraceItRanUnder() throws Exception {
        Instant before = Instant.now();
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        JsonNode payload = JSON.readTree(onlyInvokeRequest().getBody());
        assertEquals(1, payload.path("schemaVersion").asInt());
        assertEquals(context.getAwsRequestId(), payload.path("callerRequestId").asText());
        assertEquals(context.getFunctionName(), payload.path("callerFunctionName").asText());
        assertEquals(SAMPLED_HEADER, payload.path("callerTraceHeader").asText());
        assertFalse(Instant.parse(payload.path("sentAt").asText()).isBefore(before));
        assertEquals(2, payload.path("bucketCount").asInt());
    }

    @Test
    void summaryReportsBucketsInvokeStatusTraceAndRequest() throws Exception {
        JsonNode summary = trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        assertEquals(2, summary.path("bucketCount").asInt());
        assertEquals(ALIAS_ARN, summary.path("invokedFunction").asText());
        assertEquals(202, summary.path("invokeStatusCode").asInt());
        assertEquals(TRACE_ID, summary.path("traceId").asText());
        assertEquals(context.getAwsRequestId(), summary.path("requestId").asText());
        assertEquals("LambdaEvent", summary.path("asyncHop").asText());
        assertTrue(summary.path("handOffId").isNull(), "Lambda gives an Event invoke no id");
        assertTrue(context.logLines().stream().anyMatch(line ->
                line.contains("over the LambdaEvent hop asynchronously (HTTP 202)")), context.logLines()::toString);
    }

    @Test
    void unsampledTraceSendsNothingToTheDaemonAndPropagatesTheDecision() throws Exception {
        trigger(UNSAMPLED_HEADER, TracePropagation.ENABLED);

        Map<String, String> propagated = traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertEquals("0", propagated.get("Sampled"));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void withoutTraceHeaderTheFunctionStillListsAndInvokes() throws Exception {
        JsonNode summary = trigger(null, TracePropagation.ENABLED);

        assertEquals(202, summary.path("invokeStatusCode").asInt());
        assertTrue(summary.path("traceId").isNull());
        assertTrue(JSON.readTree(onlyInvokeRequest().getBody()).path("callerTraceHeader").isNull());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void propagationDisabledSendsInvokeWithoutAnyTraceHeader() throws Exception {
        JsonNode summary = trigger(SAMPLED_HEADER, TracePropagation.DISABLED);

        assertNull(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, summary.path("traceId").asText());
        assertEquals("Event", subsegmentsByName().get("Lambda").path("aws").path("invocation_type").asText());
    }

    @Test
    void s3ServerErrorIsRetriedThenReportedWithoutInvoking() {
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/xml")
                .withBody(s3Error("InternalError", "We encountered an internal error. Please try again."))));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        int attempts = AWS.findAll(getRequestedFor(urlPathEqualTo("/"))).size();
        assertTrue(attempts > 1, "the SDK retries a 500");
        assertTrue(failure.getMessage().startsWith(
                "S3 ListBuckets failed with HTTP 500 InternalError after " + attempts + " attempts"), failure.getMessage());
        assertEquals(0, AWS.findAll(postRequestedFor(urlPathMatching(INVOKE_PATH))).size());
    }

    @Test
    void s3AccessDeniedIsNotRetriedAndNamesTheMissingPermission() {
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody(s3Error("AccessDenied", "Access Denied"))));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        assertEquals(1, AWS.findAll(getRequestedFor(urlPathEqualTo("/"))).size());
        assertTrue(failure.getMessage().startsWith("S3 ListBuckets failed with HTTP 403 AccessDenied after 1 attempt:"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("s3:ListAllMyBuckets"), failure.getMessage());
    }

    @Test
    void throttledInvokeIsRetriedThenReportedAsNotQueued() {
        AWS.stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(lambdaError(429, "TooManyRequestsException",
                "Rate Exceeded.")));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        int attempts = AWS.findAll(postRequestedFor(urlPathMatching(INVOKE_PATH))).size();
        assertTrue(attempts > 1, "the SDK retries a 429");
        assertTrue(failure.getMessage().startsWith("Lambda Invoke of " + ALIAS_ARN
                + " failed with HTTP 429 TooManyRequestsException after " + attempts + " attempts"), failure.getMessage());
        assertTrue(failure.getMessage().contains("The event was not queued"), failure.getMessage());
    }

    @Test
    void invokeOfUnknownFunctionNamesTheConfiguredTarget() {
        AWS.stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(lambdaError(404, "ResourceNotFoundException",
                "Function not found: " + ALIAS_ARN)));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        assertTrue(failure.getMessage().contains("HTTP 404 ResourceNotFoundException after 1 attempt"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("TRIGGERED_FUNCTION_NAME is '" + ALIAS_ARN + "'"),
                failure.getMessage());
    }

    @Test
    void anyJsonValueIsAnAcceptedEvent() throws Exception {
        for (String event : List.of("{}", "{\"key1\":\"value1\"}", "[1,2]", "\"text\"", "42", "null")) {
            assertEquals(202, trigger(event, SAMPLED_HEADER, TracePropagation.ENABLED)
                    .path("invokeStatusCode").asInt(), event);
        }
    }

    @Test
    void eventThatIsNotJsonIsRejectedBeforeAnyAwsCall() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> trigger("{not json", SAMPLED_HEADER, TracePropagation.ENABLED));

        assertTrue(failure.getMessage().startsWith("The event is not valid JSON"), failure.getMessage());
        assertEquals(0, AWS.getAllServeEvents().size());
    }

    @Test
    void lineageOnTheIncomingHeaderSurvivesOnTheInvoke() throws Exception {
        trigger(SAMPLED_HEADER + ";Lineage=a87bd80c:1", TracePropagation.ENABLED);

        Map<String, String> propagated = traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals("a87bd80c:1", propagated.get("Lineage"));
        assertEquals(TRACE_ID, propagated.get("Root"));
    }

    @Test
    void xraySdkAloneDropsTheLineageField() throws Exception {
        System.setProperty(TRACE_HEADER_PROPERTY, SAMPLED_HEADER + ";Lineage=a87bd80c:1");
        try (LambdaClient plain = LambdaClient.builder().region(Region.US_EAST_1).httpClient(http)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build()) {
            plain.invoke(request -> request.functionName(ALIAS_ARN).invocationType(InvocationType.EVENT));
        }

        String header = onlyInvokeRequest().getHeader("X-Amzn-Trace-Id");
        assertTrue(header.startsWith("Root=" + TRACE_ID), header);
        assertFalse(header.contains("Lineage"), "the reason for LineagePropagation: " + header);
    }

    @Test
    void payloadOverTheAsyncLimitIsRejectedBeforeTheCall() {
        AsyncInvoker invoker = new AsyncInvoker(TriggeringHandler.lambdaClient(Region.US_EAST_1, http,
                TracePropagation.ENABLED), ALIAS_ARN);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> invoker.send(new byte[AsyncInvoker.ASYNC_PAYLOAD_LIMIT + 1]));

        assertTrue(failure.getMessage().contains((AsyncInvoker.ASYNC_PAYLOAD_LIMIT + 1) + " bytes, over Lambda's"),
                failure.getMessage());
        assertEquals(0, AWS.getAllServeEvents().size());
        assertEquals(202, invoker.send(new byte[AsyncInvoker.ASYNC_PAYLOAD_LIMIT]).statusCode());
    }

    @Test
    void lambdaServerErrorIsRetriedThenReportedAsNotQueued() {
        AWS.stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(lambdaError(503, "ServiceException",
                "Lambda was unable to process the request.")));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        int attempts = AWS.findAll(postRequestedFor(urlPathMatching(INVOKE_PATH))).size();
        assertTrue(attempts > 1, "the SDK retries a 503");
        assertTrue(failure.getMessage().contains("HTTP 503 ServiceException after " + attempts + " attempts"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("the event was not queued"), failure.getMessage());
    }

    @Test
    void s3ThrottlingIsRetriedAndTheRetriesShowInTheSubsegment() throws Exception {
        AWS.stubFor(get(urlPathEqualTo("/")).inScenario("slow down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(s3Error("SlowDown", "Please reduce your request rate.")))
                .willSetStateTo("recovered"));
        AWS.stubFor(get(urlPathEqualTo("/")).inScenario("slow down").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(listBucketsResult("alpha"))));

        JsonNode summary = trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        assertEquals(1, summary.path("bucketCount").asInt());
        assertEquals(1, subsegmentsByName().get("S3").path("aws").path("retries").asInt());
    }

    @Test
    void theSdkClientsUseTheOneHttpClientThePackageCarries() {
        assertEquals("UrlConnection", PackagedHttpClient.create().clientName());
    }

    @Test
    void snapStartPrimingRunsListBucketsAndInvokeWithoutCallingAws() throws Exception {
        TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1, AsyncHop.LAMBDA_EVENT,
                ALIAS_ARN, TracePropagation.ENABLED);

        List<String> primed = new SnapStartPriming(configuration).prime();
        new TriggeringHandler(TriggeringHandler.s3Client(Region.US_EAST_1, http),
                TriggeringHandler.handOff(configuration, http), configuration)
                .beforeCheckpoint(null);

        assertEquals(2, primed.size(), primed.toString());
        assertEquals("GET /", primed.get(0));
        assertTrue(primed.get(1).startsWith("POST /2015-03-31/functions/") && primed.get(1).endsWith("/invocations"),
                primed.get(1));
        assertEquals(0, AWS.getAllServeEvents().size());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)), "an untraced priming sends nothing");
    }

    @Test
    void emptyEventIsAccepted() throws Exception {
        assertEquals(202, trigger("", SAMPLED_HEADER, TracePropagation.ENABLED).path("invokeStatusCode").asInt());
    }

    @Test
    void hugeEventIsAcceptedAndNotForwarded() throws Exception {
        String huge = "{\"blob\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";

        assertEquals(202, trigger(huge, SAMPLED_HEADER, TracePropagation.ENABLED).path("invokeStatusCode").asInt());
        assertTrue(onlyInvokeRequest().getBody().length < 1024, "the event itself is not part of the payload");
    }

    @Test
    void malformedTraceHeaderDoesNotFailTheInvocation() throws Exception {
        JsonNode summary = trigger("garbage;;=;Sampled", TracePropagation.ENABLED);

        assertEquals(202, summary.path("invokeStatusCode").asInt());
        assertTrue(summary.path("traceId").isNull());
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    @Test
    void traceHeaderWithoutParentSendsNothingButKeepsTheRoot() throws Exception {
        trigger("Root=" + TRACE_ID + ";Sampled=1", TracePropagation.ENABLED);

        assertEquals("Root=" + TRACE_ID, onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    private JsonNode trigger(String traceHeader, TracePropagation propagation) throws IOException {
        return trigger("{\"key1\":\"value1\",\"key2\":\"value2\",\"key3\":\"value3\"}", traceHeader, propagation);
    }

    /** Runs one invocation the way the Java runtime does: trace header in the system property, then the handler. */
    private JsonNode trigger(String event, String traceHeader, TracePropagation propagation) throws IOException {
        if (traceHeader != null) {
            System.setProperty(TRACE_HEADER_PROPERTY, traceHeader);
        }
        TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1, AsyncHop.LAMBDA_EVENT,
                ALIAS_ARN, propagation);
        TriggeringHandler handler = new TriggeringHandler(
                TriggeringHandler.s3Client(configuration.region(), http),
                TriggeringHandler.handOff(configuration, http),
                configuration);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    private LoggedRequest onlyInvokeRequest() {
        List<LoggedRequest> invokes = AWS.findAll(postRequestedFor(urlPathMatching(INVOKE_PATH)));
        assertEquals(1, invokes.size(), "Invoke requests");
        return invokes.getFirst();
    }

    private Map<String, JsonNode> subsegmentsByName() throws InterruptedException {
        return daemon.await(2, ARRIVAL).stream()
                .collect(Collectors.toMap(document -> document.path("name").asText(), Function.identity()));
    }

    private static Map<String, String> traceHeaderFields(String header) {
        assertTrue(header != null && !header.isBlank(), "X-Amzn-Trace-Id is present");
        return Arrays.stream(header.split(";"))
                .map(field -> field.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0].trim(), pair -> pair[1].trim()));
    }

    private static String listBucketsResult(String... names) {
        StringBuilder buckets = new StringBuilder();
        for (String name : names) {
            buckets.append("<Bucket><Name>").append(name)
                    .append("</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Owner><ID>0123456789abcdef</ID></Owner><Buckets>" + buckets + "</Buckets></ListAllMyBucketsResult>";
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    }

    private static ResponseDefinitionBuilder lambdaError(
            int status, String type, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type)
                .withHeader("x-amzn-RequestId", "8d5a3c2e-0000-4000-8000-000000000000")
                .withBody("{\"Type\":\"User\",\"message\":\"" + message + "\"}");
    }
}
