package xrayasync.localcloud.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.harness.check.TraceCheckCommand;
import xrayasync.localcloud.core.lambda.probe.ContextProbeHandler;
import xrayasync.localcloud.core.lambda.probe.FailingInitHandler;

/** What a function sees of the local Lambda runtime: the contract details the X-Ray SDK and handlers rely on. */
class RuntimeApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";

    @TempDir
    static Path work;

    private static LocalCloud cloud;
    private static TraceCheckCommand.Clients clients;

    @BeforeAll
    static void startProbeStack() throws IOException {
        Path probe = work.resolve("probe");
        for (Class<?> handler : List.of(ContextProbeHandler.class, FailingInitHandler.class)) {
            String file = handler.getName().replace('.', '/') + ".class";
            Path target = probe.resolve("target/classes").resolve(file);
            Files.createDirectories(target.getParent());
            try (var compiled = handler.getClassLoader().getResourceAsStream(file)) {
                Files.copy(compiled, target);
            }
        }
        Files.createDirectories(probe.resolve("target/dependency"));
        Path template = work.resolve("template.yaml");
        Files.writeString(template, """
                Transform: AWS::Serverless-2016-10-31
                Globals:
                  Function:
                    Runtime: java25
                    MemorySize: 256
                    Timeout: 2
                    Tracing: Active
                Resources:
                  Probe:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: probe
                      Handler: xrayasync.localcloud.core.lambda.probe.ContextProbeHandler::handleRequest
                      AutoPublishAlias: live
                      Environment:
                        Variables:
                          GREETING: hello
                  BrokenInit:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: probe
                      Handler: xrayasync.localcloud.core.lambda.probe.FailingInitHandler::handleRequest
                """);
        cloud = LocalCloud.start(new LocalCloud.Settings(template, Map.of(), "probe-stack", Map.of(), List.of(), work.resolve("cloud"),
                Duration.ofMillis(100), 4, 0, System.out));
        clients = TraceCheckCommand.Clients.local(cloud.endpoint());
    }

    @AfterAll
    static void stop() {
        clients.close();
        cloud.close();
    }

    private static InvokeResponse invoke(String function, String event, String traceHeader) {
        return clients.lambda().invoke(request -> {
            request.functionName(function).payload(SdkBytes.fromUtf8String(event));
            if (traceHeader != null) {
                request.overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id", traceHeader));
            }
        });
    }

    private static JsonNode probe(String event) throws IOException {
        InvokeResponse response = invoke(name("Probe"), event, null);
        assertNull(response.functionError(), response.payload().asUtf8String());
        return JSON.readTree(response.payload().asUtf8String());
    }

    private static String name(String logicalId) {
        return cloud.stack().function(logicalId).name();
    }

    @Test
    void contextCarriesTheRequestIdDeadlineAndInvokedArn() throws IOException {
        String alias = cloud.stack().function("Probe").arn().qualified("live").toString();
        InvokeResponse response = invoke(alias, "{}", null);
        JsonNode context = JSON.readTree(response.payload().asUtf8String());

        assertEquals(response.responseMetadata().requestId(), context.path("requestId").asText());
        assertEquals(alias, context.path("invokedFunctionArn").asText());
        assertEquals(name("Probe"), context.path("functionName").asText());
        long remaining = context.path("remainingMillis").asLong();
        assertTrue(remaining > 0 && remaining <= 2000, "remaining time " + remaining + " ms of a 2 s timeout");
        assertEquals("1", response.executedVersion());
    }

    @Test
    void traceHeaderPropertyContinuesTheCallersTraceUnderTheFunctionSegment() throws IOException {
        InvokeResponse response = invoke(name("Probe"), "{}", "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=1");
        String header = JSON.readTree(response.payload().asUtf8String()).path("traceHeader").asText();

        assertTrue(header.startsWith("Root=" + TRACE_ID + ";Parent="), header);
        assertTrue(header.contains(";Sampled=1;Lineage="), "Lambda adds its Lineage entry: " + header);
        assertFalse(header.contains("53995c3f42cd8ad8"), "the function's parent is Lambda's segment: " + header);
    }

    @Test
    void environmentIsWhatLambdaSetsPlusTheTemplatesVariables() throws IOException {
        JsonNode context = probe("{}");

        assertEquals(name("Probe"), context.path("AWS_LAMBDA_FUNCTION_NAME").asText());
        assertEquals("256", context.path("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText());
        assertEquals(256, context.path("memoryLimit").asInt());
        assertEquals("us-east-1", context.path("AWS_REGION").asText());
        assertEquals("hello", context.path("GREETING").asText());
        assertEquals(cloud.daemon().address(), context.path("AWS_XRAY_DAEMON_ADDRESS").asText());
        assertEquals(context.path("workingDirectory").asText(), context.path("LAMBDA_TASK_ROOT").asText());
    }

    @Test
    void jvmStartsWithTheJava25RuntimesOptionsOnDemand() throws IOException {
        List<String> options = List.of(probe("{}").path("jvmOptions").asText().split(" "));

        assertTrue(options.containsAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-XX:MaxHeapSize=217m", "-Djava.net.preferIPv4Stack=true")), options.toString());
    }

    @Test
    void warmEnvironmentServesTheNextInvocation() throws IOException {
        assertEquals(probe("{}").path("pid").asText(), probe("{}").path("pid").asText());
    }

    @Test
    void retiredEnvironmentsMakeTheNextInvocationCold() throws IOException {
        String before = probe("{}").path("pid").asText();

        cloud.lambda().retireEnvironments(cloud.stack().function("Probe").name());

        assertNotEquals(before, probe("{}").path("pid").asText());
        List<String> reports = cloud.log().lines(name("Probe")).stream().filter(line -> line.startsWith("REPORT"))
                .toList();
        assertTrue(reports.getLast().contains("\tInit Duration: "), reports.getLast());
    }

    @Test
    void busyEnvironmentMakesAnotherStart() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<JsonNode> first = callers.submit(() -> probe("{\"sleep\":700}"));
            Future<JsonNode> second = callers.submit(() -> probe("{\"sleep\":700}"));

            assertNotEquals(first.get().path("pid").asText(), second.get().path("pid").asText());
        }
        assertTrue(cloud.lambda().peakConcurrency(cloud.stack().function("Probe").name()) >= 2);
    }

    @Test
    void timeoutEndsTheInvocationAndItsEnvironment() throws IOException {
        String before = probe("{}").path("pid").asText();
        InvokeResponse timedOut = invoke(name("Probe"), "{\"sleep\":5000}", null);

        assertEquals("Unhandled", timedOut.functionError());
        assertTrue(timedOut.payload().asUtf8String().contains("Task timed out after 2.00 seconds"),
                timedOut.payload().asUtf8String());
        assertNotEquals(before, probe("{}").path("pid").asText());
    }

    @Test
    void runtimeThatExitsMidInvocationIsReportedAndReplaced() throws IOException {
        InvokeResponse exited = invoke(name("Probe"), "{\"exit\":1}", null);

        assertEquals("Unhandled", exited.functionError());
        assertTrue(exited.payload().asUtf8String().contains("Runtime.ExitError"), exited.payload().asUtf8String());
        assertTrue(probe("{}").has("pid"), "a new environment serves the next invocation");
    }

    @Test
    void functionErrorCarriesTheExceptionTypeAndMessage() throws IOException {
        InvokeResponse failed = invoke(name("Probe"), "{\"throw\":1}", null);

        assertEquals("Unhandled", failed.functionError());
        JsonNode error = JSON.readTree(failed.payload().asUtf8String());
        assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
        assertEquals("probe failure on request", error.path("errorMessage").asText());
    }

    @Test
    void initFailureIsReportedAsTheInvocationsError() {
        InvokeResponse failed = invoke(name("BrokenInit"), "{}", null);

        assertEquals("Unhandled", failed.functionError());
        assertTrue(failed.payload().asUtf8String().contains("REQUIRED_SETTING is missing"),
                failed.payload().asUtf8String());
    }

    @Test
    void reportLineFollowsEveryInvocationWithInitDurationOnColdStartOnly() throws IOException {
        probe("{}");
        probe("{}");

        List<String> reports = cloud.log().lines(name("Probe")).stream().filter(line -> line.startsWith("REPORT"))
                .toList();
        assertTrue(reports.size() >= 2, reports.toString());
        assertTrue(reports.getLast().matches("REPORT RequestId: [0-9a-f-]{36}\tDuration: [0-9.]+ ms\tBilled Duration:"
                + " \\d+ ms\tMemory Size: 256 MB\tMax Memory Used: \\d+ MB"), reports.getLast());
        assertTrue(reports.stream().anyMatch(line -> line.contains("\tInit Duration: ")), reports.toString());
    }
}
