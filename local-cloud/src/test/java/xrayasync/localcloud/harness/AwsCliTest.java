package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * An independent client, the AWS CLI (v1, botocore's service models), pointed at the local cloud by
 * {@code AWS_ENDPOINT_URL} alone: it invokes a function, lists buckets, reads a linked trace from the X-Ray API, the
 * functions' settings from Lambda, the stack from CloudFormation and the logs from CloudWatch Logs, in the shapes the
 * API references give, the same calls a user makes against AWS.
 */
class AwsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static TraceCheck.Result linked;
    private static AwsCli cli;

    @BeforeAll
    static void linkATrace() throws Exception {
        fixture = new LocalCloudFixture(work, Map.of());
        cli = AwsCli.find(fixture.cloud.endpoint()).orElse(null);
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
        linked = fixture.checkTrace();
        assertEquals(TraceCheck.Verdict.JOINED, linked.verdict(), linked.explanation());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static JsonNode aws(String... arguments) throws IOException, InterruptedException {
        return cli.json(arguments);
    }

    private static String window(String field, long secondsFromNow) {
        return "--" + field + "=" + (Instant.now().getEpochSecond() + secondsFromNow);
    }

    @Test
    void lambdaInvokeRunsTheFunction() throws Exception {
        Path answer = work.resolve("answer.json");

        JsonNode invoked = aws("lambda", "invoke", "--function-name", fixture.functionName("TriggeredFunction"),
                "--payload", Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json")),
                answer.toString());

        assertEquals(200, invoked.path("StatusCode").asInt());
        assertEquals(3, JSON.readTree(answer.toFile()).path("bucketCount").asInt());
    }

    @Test
    void s3ListBucketsListsTheBuckets() throws Exception {
        JsonNode listed = aws("s3api", "list-buckets");

        assertEquals(List.of("alpha", "beta", "gamma"), listed.path("Buckets").findValuesAsText("Name"));
    }

    @Test
    void batchGetTracesReturnsTheSegmentDocuments() throws Exception {
        JsonNode trace = aws("xray", "batch-get-traces", "--trace-ids", linked.traceId()).path("Traces").get(0);

        assertEquals(linked.traceId(), trace.path("Id").asText());
        assertTrue(trace.path("Duration").asDouble() > 0);
        for (JsonNode segment : trace.path("Segments")) {
            JsonNode document = JSON.readTree(segment.path("Document").asText());
            assertEquals(segment.path("Id").asText(), document.path("id").asText());
            assertEquals(linked.traceId(), document.path("trace_id").asText());
        }
    }

    @Test
    void getTraceSummariesFindsTheCalleeByItsAnnotation() throws Exception {
        JsonNode summaries = aws("xray", "get-trace-summaries", window("start-time", -300), window("end-time", 60),
                "--filter-expression", "annotation.caller_trace_id = \"" + linked.traceId() + "\"");

        assertEquals(linked.traceId(), summaries.path("TraceSummaries").get(0).path("Id").asText());
        assertEquals(linked.traceId(), summaries.path("TraceSummaries").get(0).path("Annotations")
                .path("caller_trace_id").get(0).path("AnnotationValue").path("StringValue").asText());
    }

    @Test
    void getServiceGraphListsTheServicesWithTheirEdges() throws Exception {
        JsonNode graph = aws("xray", "get-service-graph", window("start-time", -300), window("end-time", 60));

        // The window also holds the traces of this class's other calls, such as the direct invoke.
        assertTrue(assertServices(graph.path("Services")) >= 6, graph.toString());
    }

    @Test
    void getTraceGraphListsTheServicesOfTheTrace() throws Exception {
        JsonNode graph = aws("xray", "get-trace-graph", "--trace-ids", linked.traceId());

        assertEquals(6, assertServices(graph.path("Services")), graph.toString());
    }

    /** Asserts the services a linked trace has, and returns how many edges the graph has. */
    private static int assertServices(JsonNode services) {
        List<String> types = new ArrayList<>();
        int edges = 0;
        for (JsonNode service : services) {
            types.add(service.path("Type").asText());
            edges += service.path("Edges").size();
        }
        assertTrue(types.containsAll(List.of("client", "AWS::Lambda", "AWS::Lambda::Function", "AWS::S3")),
                types.toString());
        return edges;
    }

    @Test
    void cloudFormationDescribesTheStacksResources() throws Exception {
        JsonNode resources = aws("cloudformation", "describe-stack-resources", "--stack-name", "xray-async");

        assertTrue(resources.path("StackResources").findValuesAsText("LogicalResourceId")
                .containsAll(List.of("TriggeringFunction", "TriggeredFunction", "TriggeredFailureQueue")));
        assertEquals("xray-async-TriggeredFunction", physicalId(resources, "TriggeredFunction"));
    }

    private static String physicalId(JsonNode resources, String logicalId) {
        for (JsonNode resource : resources.path("StackResources")) {
            if (resource.path("LogicalResourceId").asText().equals(logicalId)) {
                return resource.path("PhysicalResourceId").asText();
            }
        }
        throw new AssertionError("no " + logicalId + " in " + resources);
    }

    @Test
    void logsFilterLogEventsAppliesAJsonFilterPattern() throws Exception {
        JsonNode found = aws("logs", "filter-log-events", "--log-group-name", "/aws/lambda/"
                + fixture.functionName("TriggeredFunction"), "--filter-pattern", "{ $.type = \"platform.report\" }");

        assertTrue(found.path("events").size() >= 1, found.toString());
        for (JsonNode event : found.path("events")) {
            assertEquals("platform.report", JSON.readTree(event.path("message").asText()).path("type").asText());
        }
    }

    @Test
    void lambdaGetFunctionConfigurationReadsTheTemplatesSettings() throws Exception {
        JsonNode configuration = aws("lambda", "get-function-configuration", "--function-name",
                fixture.functionName("TriggeringFunction"));

        assertEquals("java25", configuration.path("Runtime").asText());
        assertEquals("Active", configuration.path("TracingConfig").path("Mode").asText());
        assertEquals("JSON", configuration.path("LoggingConfig").path("LogFormat").asText());
    }

    @Test
    void lambdaListFunctionsListsBoth() throws Exception {
        assertEquals(List.of(fixture.functionName("TriggeredFunction"), fixture.functionName("TriggeringFunction")),
                aws("lambda", "list-functions").path("Functions").findValuesAsText("FunctionName"), "in name order");
    }

    @Test
    void lambdaInvokeWithLogTypeTailReturnsTheLogsEnd() throws Exception {
        JsonNode invoked = aws("lambda", "invoke", "--function-name", fixture.functionName("TriggeredFunction"),
                "--log-type", "Tail", "--payload", Files.readString(LocalCloudFixture.ROOT
                        .resolve("events/triggered-event.json")), work.resolve("tail.json").toString());

        String tail = new String(java.util.Base64.getDecoder().decode(invoked.path("LogResult").asText()),
                StandardCharsets.UTF_8);
        assertTrue(tail.contains("\"type\":\"platform.report\""), tail);
    }
}
