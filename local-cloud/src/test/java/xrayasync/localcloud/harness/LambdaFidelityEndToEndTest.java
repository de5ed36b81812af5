package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xrayasync.localcloud.harness.TraceEntities.all;
import static xrayasync.localcloud.harness.TraceEntities.child;
import static xrayasync.localcloud.harness.TraceEntities.names;
import static xrayasync.localcloud.harness.TraceEntities.only;
import static xrayasync.localcloud.harness.TraceEntities.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.Service;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.check.TraceCheck;

/** The trace as today's Lambda and X-Ray produce it, rule by rule, on the built functions. */
class LambdaFidelityEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private static List<JsonNode> batchGetTraces(LocalCloudFixture fixture, String traceId) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        for (var segment : fixture.clients.xray().batchGetTraces(request -> request.traceIds(traceId)).traces()
                .getFirst().segments()) {
            documents.add(JSON.readTree(segment.document()));
        }
        return documents;
    }

    /** The trace as BatchGetTraces returns it, once it holds an entity that matches (segments arrive after a run). */
    private static List<JsonNode> traceHolding(LocalCloudFixture fixture, String traceId, Predicate<JsonNode> wanted)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonNode> trace = List.of();
        while (System.nanoTime() < deadline) {
            if (fixture.cloud.traces().segments(traceId).isPresent()) {
                trace = batchGetTraces(fixture, traceId);
                if (!all(trace, wanted).isEmpty()) {
                    return trace;
                }
            }
            Thread.sleep(50);
        }
        return trace;
    }

    private static InvokeResponse invokeCallee(LocalCloudFixture fixture, InvocationType type, TraceHeader header)
            throws IOException {
        FunctionDefinition callee = fixture.cloud.stack().function(LocalCloudFixture.PAIR.calleeLogicalId());
        String event = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
        return fixture.clients.lambda().invoke(request -> request.functionName(callee.arn().qualified(callee.alias())
                .toString()).invocationType(type).payload(SdkBytes.fromUtf8String(event))
                .overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id", header.toString())));
    }

    private static TraceHeader newSampledTrace() {
        return TraceHeader.newSampledTrace(XRayIds.system());
    }

    @Test
    void passThroughCalleeIsNotTracedEvenUnderTheCallersSampledHeader() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of("TriggeredTracingMode", "PassThrough"))) {
            TraceCheck.Result result = fixture.checkTrace();

            assertEquals(TraceCheck.Verdict.LOST, result.verdict(), result.explanation());
            assertNull(result.calleeTraceId(), result.explanation());
            assertTrue(result.explanation().contains("PassThrough"), result.explanation());
            String callee = fixture.functionName("TriggeredFunction");
            for (String traceId : fixture.cloud.traces().traceIds()) {
                assertTrue(fixture.cloud.traces().segments(traceId).orElseThrow().stream()
                        .noneMatch(segment -> segment.path("name").asText().equals(callee)), traceId);
            }
            assertTrue(fixture.cloud.log().lines(callee).stream().anyMatch(line -> line.startsWith("REPORT")),
                    "the callee did run, untraced");
            JsonNode inferred = only(batchGetTraces(fixture, result.traceId()), segment("AWS::Lambda", callee));
            assertTrue(inferred.path("inferred").asBoolean(), "the caller's Invoke still shows the callee: " + inferred);
        }
    }

    @Test
    void activeCalleeDecidesARootOnlyHeaderItselfAndStaysInThatTrace() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            String traceId = XRayIds.system().newTraceId();

            invokeCallee(fixture, InvocationType.REQUEST_RESPONSE, TraceHeader.parse("Root=" + traceId));

            String callee = fixture.functionName("TriggeredFunction");
            List<JsonNode> trace = traceHolding(fixture, traceId, segment("AWS::Lambda::Function", callee));
            assertFalse(only(trace, segment("AWS::Lambda", callee)).has("parent_id"), "no caller's parent was given");
            child(only(trace, segment("AWS::Lambda::Function", callee)), "## handleRequest");
        }
    }

    @Test
    void functionSegmentHasTheNewStyleOnColdAndWarmStarts() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceHeader cold = newSampledTrace();
            TraceHeader warm = newSampledTrace();
            invokeCallee(fixture, InvocationType.REQUEST_RESPONSE, cold);
            invokeCallee(fixture, InvocationType.REQUEST_RESPONSE, warm);
            String callee = fixture.functionName("TriggeredFunction");

            JsonNode coldSegment = only(traceHolding(fixture, cold.root(), segment("AWS::Lambda::Function", callee)),
                    segment("AWS::Lambda::Function", callee));
            JsonNode warmSegment = only(traceHolding(fixture, warm.root(), segment("AWS::Lambda::Function", callee)),
                    segment("AWS::Lambda::Function", callee));

            assertEquals(Set.of("Init", "## handleRequest", "Overhead"), Set.copyOf(names(coldSegment.path("subsegments"))));
            assertEquals(Set.of("## handleRequest", "Overhead"), Set.copyOf(names(warmSegment.path("subsegments"))));
            assertTrue(child(coldSegment, "Init").path("end_time").asDouble()
                    <= coldSegment.path("start_time").asDouble(), "Init ends before the invocation starts");
            for (JsonNode function : List.of(coldSegment, warmSegment)) {
                assertEquals(Set.of("aws:responseLatency", "aws:responseDuration", "aws:runtimeOverhead",
                        "aws:extensionOverhead"), fieldNames(function.path("annotations")));
                double latency = function.path("annotations").path("aws:responseLatency").asDouble();
                assertEquals(function.path("start_time").asDouble() + latency / 1000,
                        child(function, "Overhead").path("start_time").asDouble(), 0.002,
                        "Overhead starts when the response latency ends");
            }
        }
    }

    @Test
    void asyncServiceSegmentEndsAtThe202AndItsAttemptsRunPastIt() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            String callee = fixture.functionName("TriggeredFunction");
            TraceHeader trace = newSampledTrace();
            fixture.cloud.s3().failNext(Integer.MAX_VALUE);

            assertEquals(202, invokeCallee(fixture, InvocationType.EVENT, trace).statusCode());
            awaitReports(fixture, callee, 1);
            fixture.cloud.s3().failNext(0);
            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(60)));

            JsonNode service = only(traceHolding(fixture, trace.root(), segment("AWS::Lambda", callee)),
                    segment("AWS::Lambda", callee));
            assertEquals(202, service.path("http").path("response").path("status").asInt());
            assertEquals(List.of("Dwell Time", "Attempt #1", "Attempt #2"), names(service.path("subsegments")));
            double answered = service.path("end_time").asDouble();
            JsonNode first = child(service, "Attempt #1");
            JsonNode second = child(service, "Attempt #2");
            assertTrue(first.path("end_time").asDouble() > answered && second.path("end_time").asDouble() > answered,
                    "the attempts run past the 202: " + service);
            assertTrue(first.path("fault").asBoolean());
            assertEquals(200, first.path("http").path("response").path("status").asInt());
            assertFalse(second.path("fault").asBoolean());
            assertEquals(200, second.path("http").path("response").path("status").asInt());
        }
    }

    @Test
    void batchGetTracesInfersTheS3SegmentsFromTheCallsSubsegments() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();
            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());

            List<JsonNode> trace = batchGetTraces(fixture, result.traceId());
            List<JsonNode> inferred = all(trace, entity -> entity.path("inferred").asBoolean());
            Set<String> calls = all(trace, entity -> "S3".equals(entity.path("name").asText())
                    && "aws".equals(entity.path("namespace").asText())).stream()
                    .map(call -> call.path("id").asText()).collect(Collectors.toSet());

            assertEquals(2, inferred.size(), inferred.toString());
            for (JsonNode segment : inferred) {
                assertEquals("AWS::S3", segment.path("origin").asText());
                assertEquals("ListBuckets", segment.path("aws").path("operation").asText());
                assertTrue(calls.contains(segment.path("parent_id").asText()), segment.toString());
            }
        }
    }

    @Test
    void traceGraphRunsFromTheClientThroughBothFunctionsToS3() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();
            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());

            List<Service> services = fixture.clients.xray().getTraceGraph(request -> request.traceIds(result.traceId()))
                    .services();

            String caller = fixture.functionName("TriggeringFunction");
            String callee = fixture.functionName("TriggeredFunction");
            assertEquals(Set.of(
                    "client -> " + caller + " (AWS::Lambda)",
                    caller + " (AWS::Lambda) -> " + caller + " (AWS::Lambda::Function)",
                    caller + " (AWS::Lambda::Function) -> S3 (AWS::S3)",
                    caller + " (AWS::Lambda::Function) -> " + callee + " (AWS::Lambda)",
                    callee + " (AWS::Lambda) -> " + callee + " (AWS::Lambda::Function)",
                    callee + " (AWS::Lambda::Function) -> S3 (AWS::S3)"), edges(services));
            assertTrue(services.stream().filter(Service::root).allMatch(service -> service.name().equals(caller)
                    && service.type().equals("AWS::Lambda")));
        }
    }

    @Test
    void serviceGraphOfTheWindowHoldsTheSameEdges() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result result = fixture.checkTrace();
            assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
            List<Service> ofTrace = fixture.clients.xray().getTraceGraph(request -> request.traceIds(result.traceId()))
                    .services();

            List<Service> ofWindow = fixture.clients.xray().getServiceGraph(request -> request
                    .startTime(java.time.Instant.now().minusSeconds(300)).endTime(java.time.Instant.now()))
                    .services();

            assertEquals(edges(ofTrace), edges(ofWindow));
            Service s3 = ofWindow.stream().filter(service -> "AWS::S3".equals(service.type())).findFirst().orElseThrow();
            assertEquals(2, s3.summaryStatistics().totalCount());
        }
    }

    private static Set<String> edges(List<Service> services) {
        Set<String> edges = new java.util.TreeSet<>();
        for (Service from : services) {
            for (Edge edge : from.edges()) {
                Service to = services.stream().filter(service -> service.referenceId().equals(edge.referenceId()))
                        .findFirst().orElseThrow();
                edges.add(label(from) + " -> " + label(to));
            }
        }
        return edges;
    }

    private static String label(Service service) {
        return service.name() == null ? service.type() : service.name() + " (" + service.type() + ")";
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void awaitReports(LocalCloudFixture fixture, String function, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (fixture.cloud.log().lines(function).stream().filter(line -> line.startsWith("REPORT")).count() < count) {
            assertTrue(System.nanoTime() < deadline, function + " did not report " + count + " invocation(s) in time");
            Thread.sleep(20);
        }
    }
}
