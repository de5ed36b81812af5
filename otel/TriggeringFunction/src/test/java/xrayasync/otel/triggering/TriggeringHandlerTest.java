package xrayasync.otel.triggering;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** TriggeringFunction (OpenTelemetry) against real SDK clients, S3 and Lambda on loopback HTTP, a UDP X-Ray daemon. */
class TriggeringHandlerTest {

    private static final String ALIAS_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:xray-async-TriggeredFunction-Ab12Cd34:live";
    private static final String TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";
    /** The same trace as OpenTelemetry writes it. */
    private static final String OTEL_TRACE_ID = "6743a1b20123456789abcdef01234567";
    private static final String FACADE_ID = "53995c3f42cd8ad8";
    /** TelemetryPriming's sample trace as OpenTelemetry writes it. */
    private static final String PRIMING_TRACE_ID = "5759e988bd862e3fe1be46a994272793";
    private static final String SAMPLED_HEADER = "Root=" + TRACE_ID + ";Parent=" + FACADE_ID + ";Sampled=1";
    private static final String UNSAMPLED_HEADER = "Root=" + TRACE_ID + ";Parent=" + FACADE_ID + ";Sampled=0";
    private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:xray-async-Triggered";
    private static final String INVOKE_PATH = "/2015-03-31/functions/.*/invocations";
    private static final String FUNCTION_NAME = "xray-async-TriggeringFunction-Zz98Yy76";
    private static final Duration ARRIVAL = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension AWS = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private RecordingOtlpDaemon daemon;
    private OpenTelemetrySdk telemetry;
    private SdkHttpClient http;
    private final InvocationContext context = new InvocationContext("c0ffee00-1111-2222-3333-444455556666",
            FUNCTION_NAME);

    @BeforeEach
    void startLoopbackAws() throws IOException {
        daemon = new RecordingOtlpDaemon();
        telemetry = LambdaTelemetry.create(System.getenv(), XRayUdpSpanExporter.to(daemon.address()));
        System.setProperty("aws.endpointUrl", AWS.baseUrl());
        http = PackagedHttpClient.create();
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody(listBucketsResult("alpha", "beta"))));
        AWS.stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(aResponse().withStatus(202)));
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
    void invokeIsAnAsyncCallToTheAliasCarryingTheCallersTraceWithTheInvokeSpanAsParent() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        LoggedRequest invoke = onlyInvokeRequest();
        assertEquals("/2015-03-31/functions/" + ALIAS_ARN + "/invocations",
                URLDecoder.decode(invoke.getUrl(), StandardCharsets.UTF_8));
        assertEquals("Event", invoke.getHeader("X-Amz-Invocation-Type"));
        Map<String, String> propagated = traceHeaderFields(invoke.getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertEquals(RecordingOtlpDaemon.hex(spansByName().get("Lambda.Invoke").getSpanId()), propagated.get("Parent"));
        assertEquals("1", propagated.get("Sampled"));
    }

    @Test
    void theInvocationIsAServerSpanInTheCallersTraceUnderLambdasSegment() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        Span server = spansByName().get(FUNCTION_NAME);
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, server.getKind());
        assertEquals(OTEL_TRACE_ID, RecordingOtlpDaemon.hex(server.getTraceId()));
        assertEquals(FACADE_ID, RecordingOtlpDaemon.hex(server.getParentSpanId()));
        assertEquals(context.getAwsRequestId(), attributes(server).get("faas.invocation_id"));
    }

    @Test
    void awsCallsArriveAsT1sClientSpansOfTheServerSpan() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        List<RecordingOtlpDaemon.Datagram> datagrams = daemon.awaitSpans(3, ARRIVAL);
        datagrams.forEach(datagram -> assertEquals(XRayUdpSpanExporter.SAMPLED, datagram.prefix()));
        Map<String, Span> spans = RecordingOtlpDaemon.byName(datagrams);
        Span server = spans.get(FUNCTION_NAME);
        Span s3 = spans.get("S3.ListBuckets");
        Span lambda = spans.get("Lambda.Invoke");
        for (Span client : List.of(s3, lambda)) {
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, client.getKind());
            assertEquals(OTEL_TRACE_ID, RecordingOtlpDaemon.hex(client.getTraceId()));
            assertEquals(server.getSpanId(), client.getParentSpanId());
        }
        assertEquals(Map.of("rpc.service", "S3", "rpc.method", "ListBuckets"), rpc(s3));
        assertEquals(Map.of("rpc.service", "Lambda", "rpc.method", "Invoke"), rpc(lambda));
        assertEquals(202L, attributes(lambda).get("http.response.status_code"));
    }

    @Test
    void spansNameTheFunctionAsTheirService() throws Exception {
        trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        Map<String, Object> resource = daemon.awaitSpans(3, ARRIVAL).getFirst().resource();
        assertEquals("TriggeringFunction", resource.get("service.name"), "AWS_LAMBDA_FUNCTION_NAME of the build");
        assertEquals("aws_lambda", resource.get("cloud.platform"));
        assertEquals("us-east-1", resource.get("cloud.region"));
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
    void unsampledTraceExportsNothingAndPropagatesTheDecision() throws Exception {
        trigger(UNSAMPLED_HEADER, TracePropagation.ENABLED);

        Map<String, String> propagated = traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertEquals("0", propagated.get("Sampled"));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(500)));
    }

    @Test
    void withoutTraceHeaderTheFunctionStillListsAndInvokesAndExportsNothing() throws Exception {
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
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, spansByName().get("Lambda.Invoke").getKind());
    }

    @Test
    void lineageOnTheIncomingHeaderSurvivesOnTheInvoke() throws Exception {
        trigger(SAMPLED_HEADER + ";Lineage=a87bd80c:1", TracePropagation.ENABLED);

        Map<String, String> propagated = traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id"));
        assertEquals("a87bd80c:1", propagated.get("Lineage"));
        assertEquals(TRACE_ID, propagated.get("Root"));
    }

    @Test
    void lineageInTheNewerFormIsCarriedOnce() throws Exception {
        trigger(SAMPLED_HEADER + ";Lineage=1:037bed70:0", TracePropagation.ENABLED);

        String header = onlyInvokeRequest().getHeader("X-Amzn-Trace-Id");
        assertEquals(1, header.split("Lineage=", -1).length - 1, header);
        assertEquals("1:037bed70:0", traceHeaderFields(header).get("Lineage"));
    }

    @Test
    void openTelemetryAloneDropsTheOlderLineageForm() throws Exception {
        System.setProperty(LambdaTraceHeader.PROPERTY, SAMPLED_HEADER + ";Lineage=a87bd80c:1");
        AwsSdkTelemetry aws = AwsSdkTelemetry.create(telemetry);
        TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1, AsyncHop.LAMBDA_EVENT,
                ALIAS_ARN, TracePropagation.ENABLED);
        try (LambdaClient openTelemetryOnly = LambdaClient.builder().region(Region.US_EAST_1).httpClient(http)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .overrideConfiguration(override -> override.addExecutionInterceptor(aws.newExecutionInterceptor()))
                .build()) {
            TriggeringHandler handler = new TriggeringHandler(telemetry,
                    TriggeringHandler.s3Client(Region.US_EAST_1, http, aws),
                    new AsyncInvoker(openTelemetryOnly, ALIAS_ARN), configuration);
            handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), context);
        }

        String header = onlyInvokeRequest().getHeader("X-Amzn-Trace-Id");
        assertTrue(header.startsWith("Root=" + TRACE_ID), header);
        assertFalse(header.contains("Lineage"), "the reason for LineagePropagation: " + header);
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
    void aFailedInvocationEndsTheServerSpanWithTheError() throws Exception {
        AWS.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody(s3Error("AccessDenied", "Access Denied"))));

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class,
                () -> trigger(SAMPLED_HEADER, TracePropagation.ENABLED));

        Span server = spansByName(2).get(FUNCTION_NAME);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.getStatus().getCode());
        Span.Event exception = server.getEventsList().stream().filter(event -> event.getName().equals("exception"))
                .findFirst().orElseThrow();
        assertEquals(failure.getMessage(), attributes(exception.getAttributesList()).get("exception.message"));
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
    void s3ThrottlingIsRetriedWithinOneClientSpan() throws Exception {
        AWS.stubFor(get(urlPathEqualTo("/")).inScenario("slow down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(s3Error("SlowDown", "Please reduce your request rate.")))
                .willSetStateTo("recovered"));
        AWS.stubFor(get(urlPathEqualTo("/")).inScenario("slow down").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(listBucketsResult("alpha"))));

        JsonNode summary = trigger(SAMPLED_HEADER, TracePropagation.ENABLED);

        assertEquals(1, summary.path("bucketCount").asInt());
        assertEquals(200L, attributes(spansByName().get("S3.ListBuckets")).get("http.response.status_code"));
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
    void payloadOverTheAsyncLimitIsRejectedBeforeTheCall() {
        AsyncInvoker invoker = new AsyncInvoker(TriggeringHandler.lambdaClient(Region.US_EAST_1, http,
                AwsSdkTelemetry.create(telemetry), TracePropagation.ENABLED), ALIAS_ARN);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> invoker.send(new byte[AsyncInvoker.ASYNC_PAYLOAD_LIMIT + 1]));

        assertTrue(failure.getMessage().contains((AsyncInvoker.ASYNC_PAYLOAD_LIMIT + 1) + " bytes, over Lambda's"),
                failure.getMessage());
        assertEquals(0, AWS.getAllServeEvents().size());
        assertEquals(202, invoker.send(new byte[AsyncInvoker.ASYNC_PAYLOAD_LIMIT]).statusCode());
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
    void traceHeaderWithoutParentExportsNothing() throws Exception {
        JsonNode summary = trigger("Root=" + TRACE_ID + ";Sampled=1", TracePropagation.ENABLED);

        assertEquals(TRACE_ID, summary.path("traceId").asText());
        assertEquals("0", traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id")).get("Sampled"));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    @Test
    void aTraceTheFunctionStartsItselfHasAnXRayTraceIdOfTheInvocationsSecond() throws Exception {
        long before = Instant.now().getEpochSecond();
        trigger(null, TracePropagation.ENABLED);

        String root = traceHeaderFields(onlyInvokeRequest().getHeader("X-Amzn-Trace-Id")).get("Root");
        XRayIdGeneratorTest.assertXRayTraceIdOfASecondBetween(before, root.substring(2).replace("-", ""),
                Instant.now().getEpochSecond());
    }

    @Test
    void snapStartPrimingListsBucketsAndInvokesTheTargetAgainstCannedAnswersOnly() {
        TelemetryPriming.Run primed = handler(TracePropagation.ENABLED).prime();

        assertEquals(List.of("GET /", "POST /2015-03-31/functions/" + ALIAS_ARN + "/invocations"),
                primed.requests().stream().map(request -> URLDecoder.decode(request, StandardCharsets.UTF_8)).toList());
        assertEquals(0, AWS.getAllServeEvents().size());
    }

    @Test
    void snapStartPrimingRunsTheConfiguredHopsCallAgainstCannedAnswersOnly() throws Exception {
        for (AsyncHop hop : List.of(AsyncHop.SQS, AsyncHop.SNS, AsyncHop.EVENT_BRIDGE)) {
            TelemetryPriming.Run primed = handler(hop, "destination-of-" + hop.label(), TracePropagation.ENABLED)
                    .prime();

            assertEquals(List.of("GET /", "POST /"), primed.requests(), hop.label());
            // OpenTelemetry names the SQS and SNS spans as messaging spans ("<destination> publish"), so only the
            // count and the S3 span are the same for every hop.
            Map<String, Span> encoded = RecordingOtlpDaemon.byName(
                    primed.datagrams().stream().map(RecordingOtlpDaemon::parse).toList());
            assertEquals(2, encoded.size(), () -> hop.label() + ": " + encoded.keySet());
            assertTrue(encoded.containsKey("S3.ListBuckets"), () -> hop.label() + ": " + encoded.keySet());
        }
        assertEquals(0, AWS.getAllServeEvents().size());
    }

    @Test
    void snapStartPrimingEncodesTheSpansOfItsCallsButSendsNoDatagram() throws Exception {
        TelemetryPriming.Run primed = handler(TracePropagation.ENABLED).prime();

        Map<String, Span> encoded = RecordingOtlpDaemon.byName(
                primed.datagrams().stream().map(RecordingOtlpDaemon::parse).toList());
        assertEquals(Set.of("S3.ListBuckets", "Lambda.Invoke"), encoded.keySet());
        encoded.values().forEach(span -> assertEquals(PRIMING_TRACE_ID, RecordingOtlpDaemon.hex(span.getTraceId())));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    @Test
    void snapStartPrimingExtractsAndInjectsItsSampleTraceHeaderUnchanged() {
        assertEquals(TelemetryPriming.SAMPLE_TRACE_HEADER,
                handler(TracePropagation.ENABLED).prime().propagatedTraceHeader());
    }

    @Test
    void anInvocationAfterSnapStartPrimingIsTracedAsWithoutIt() throws Exception {
        TriggeringHandler handler = handler(TracePropagation.ENABLED);
        handler.beforeCheckpoint(null);

        assertEquals(202, invoke(handler, "{}", SAMPLED_HEADER).path("invokeStatusCode").asInt());

        Map<String, Span> spans = spansByName();
        assertEquals(Set.of(FUNCTION_NAME, "S3.ListBuckets", "Lambda.Invoke"), spans.keySet());
        spans.values().forEach(span -> assertEquals(OTEL_TRACE_ID, RecordingOtlpDaemon.hex(span.getTraceId())));
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)), "no span of priming's arrives later");
        assertEquals(2, AWS.getAllServeEvents().size(), "one ListBuckets, one Invoke");
    }

    @Test
    void snsHopPublishesWithTheTraceOfItsClientSpanAndTheCallersLineage() throws Exception {
        AWS.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>95df01b4-ee98-5cb9-9903-4c221d41eb5e</MessageId></PublishResult>"
                                + "</PublishResponse>")));

        JsonNode summary = invoke(handler(AsyncHop.SNS, TOPIC_ARN, TracePropagation.ENABLED), "{}",
                SAMPLED_HEADER + ";Lineage=a87bd80c:1");

        LoggedRequest publish = AWS.findAll(postRequestedFor(urlPathEqualTo("/"))).getFirst();
        assertTrue(publish.getBodyAsString().contains("TopicArn=" + URLEncoder.encode(TOPIC_ARN,
                StandardCharsets.UTF_8)), publish.getBodyAsString());
        Map<String, String> propagated = traceHeaderFields(publish.getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertEquals("a87bd80c:1", propagated.get("Lineage"));
        assertEquals("SNS", summary.path("asyncHop").asText());
        assertEquals("95df01b4-ee98-5cb9-9903-4c221d41eb5e", summary.path("handOffId").asText());
    }

    @Test
    void eventBridgeHopCarriesTheTraceInTheHttpHeaderWithoutLineage() throws Exception {
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":"
                                + "\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}]}")));

        JsonNode summary = invoke(handler(AsyncHop.EVENT_BRIDGE, "xray-async-triggered", TracePropagation.ENABLED),
                "{}", SAMPLED_HEADER + ";Lineage=a87bd80c:1");

        LoggedRequest putEvents = AWS.findAll(postRequestedFor(urlPathEqualTo("/"))).getFirst();
        JsonNode entry = JSON.readTree(putEvents.getBodyAsString()).path("Entries").get(0);
        assertEquals("xray-async-triggered", entry.path("EventBusName").asText());
        assertFalse(entry.has("TraceHeader"), "the HTTP header carries the trace");
        Map<String, String> propagated = traceHeaderFields(putEvents.getHeader("X-Amzn-Trace-Id"));
        assertEquals(TRACE_ID, propagated.get("Root"));
        assertNull(propagated.get("Lineage"), "EventBridge is no hop Lambda's loop detection counts");
        assertEquals("11710aed-b79e-4468-a20b-bb3c0c3b4860", summary.path("handOffId").asText());
    }

    @Test
    void propagationDisabledStripsTheTraceHeaderOnTheEventBridgeHopToo() throws Exception {
        AWS.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e1\"}]}")));

        invoke(handler(AsyncHop.EVENT_BRIDGE, "xray-async-triggered", TracePropagation.DISABLED), "{}",
                SAMPLED_HEADER);

        assertNull(AWS.findAll(postRequestedFor(urlPathEqualTo("/"))).getFirst().getHeader("X-Amzn-Trace-Id"));
    }

    @Test
    void theXRaySdkIsNotOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.amazonaws.xray.AWSXRay"));
    }

    private JsonNode trigger(String traceHeader, TracePropagation propagation) throws IOException {
        return trigger("{\"key1\":\"value1\",\"key2\":\"value2\",\"key3\":\"value3\"}", traceHeader, propagation);
    }

    private JsonNode trigger(String event, String traceHeader, TracePropagation propagation) throws IOException {
        return invoke(handler(propagation), event, traceHeader);
    }

    /** The handler as Lambda builds it, on this test's SDK, HTTP client and loopback endpoints. */
    private TriggeringHandler handler(TracePropagation propagation) {
        return handler(AsyncHop.LAMBDA_EVENT, ALIAS_ARN, propagation);
    }

    private TriggeringHandler handler(AsyncHop hop, String destination, TracePropagation propagation) {
        TriggeringConfiguration configuration = new TriggeringConfiguration(Region.US_EAST_1, hop, destination,
                propagation);
        AwsSdkTelemetry aws = AwsSdkTelemetry.create(telemetry);
        return new TriggeringHandler(telemetry,
                TriggeringHandler.s3Client(configuration.region(), http, aws),
                TriggeringHandler.handOff(configuration, http, aws),
                configuration);
    }

    /** Runs one invocation the way the Java runtime does: trace header in the system property, then the handler. */
    private JsonNode invoke(TriggeringHandler handler, String event, String traceHeader) throws IOException {
        if (traceHeader != null) {
            System.setProperty(LambdaTraceHeader.PROPERTY, traceHeader);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    private LoggedRequest onlyInvokeRequest() {
        List<LoggedRequest> invokes = AWS.findAll(postRequestedFor(urlPathMatching(INVOKE_PATH)));
        assertEquals(1, invokes.size(), "Invoke requests");
        return invokes.getFirst();
    }

    /** The server span and the two client spans of a successful invocation, by name. */
    private Map<String, Span> spansByName() throws InterruptedException {
        return spansByName(3);
    }

    private Map<String, Span> spansByName(int count) throws InterruptedException {
        return daemon.awaitSpansByName(count, ARRIVAL);
    }

    private static Map<String, Object> attributes(Span span) {
        return attributes(span.getAttributesList());
    }

    private static Map<String, Object> attributes(List<KeyValue> attributes) {
        return RecordingOtlpDaemon.attributes(attributes);
    }

    private static Map<String, Object> rpc(Span span) {
        return attributes(span).entrySet().stream()
                .filter(attribute -> attribute.getKey().equals("rpc.service") || attribute.getKey().equals("rpc.method"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
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

    private static ResponseDefinitionBuilder lambdaError(int status, String type, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type)
                .withHeader("x-amzn-RequestId", "8d5a3c2e-0000-4000-8000-000000000000")
                .withBody("{\"Type\":\"User\",\"message\":\"" + message + "\"}");
    }
}
