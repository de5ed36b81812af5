package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xrayasync.localcloud.core.LocalCloud;

/**
 * The SAM CLI's commands against a local cloud, on what {@code sam build} builds: the calls {@code sam deploy
 * --resolve-s3}, {@code sam remote invoke}, {@code sam logs}, {@code sam traces} and {@code sam delete} make, replayed
 * with boto3 and s3transfer (as the SAM CLI uses them; src/test/resources/sam_cli_calls.py names the SAM CLI source of
 * each), through {@code AWS_ENDPOINT_URL} alone, for both flavors.
 */
class SamCliReplayTest {

    private static final Path ROOT = ProjectRoot.locate();

    @TempDir
    Path work;

    private static Boto3 boto3;

    @BeforeAll
    static void findBoto3() {
        boto3 = Boto3.find().orElse(null);
        Assumptions.assumeTrue(boto3 != null, "no Python with boto3 on this machine");
    }

    private JsonNode replay(LocalCloud cloud, String... step) throws Exception {
        return boto3.run(cloud.endpoint(), work, "sam_cli_calls.py", step);
    }

    @ParameterizedTest
    @CsvSource({"template.yaml, xray-async", "otel/template.yaml, xray-async-otel"})
    void remoteInvokeLogsAndTracesWorkOnWhatSamBuildBuilt(String template, String stack) throws Exception {
        Path built = SamBuildLayout.write(ROOT.resolve(template), work);
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(built, Map.of(), stack, Map.of(),
                List.of("alpha", "beta", "gamma"), work.resolve("cloud"), Duration.ofMillis(200), 2, 0, null))) {
            JsonNode invoked = replay(cloud, "remote-invoke", stack, "TriggeringFunction",
                    ROOT.resolve("events/triggering-event.json").toString());

            assertEquals("none", invoked.path("url").asText());
            assertEquals(3, invoked.path("payload").path("bucketCount").asInt(), invoked.toString());
            assertTrue(invoked.path("log").asText().contains("\"type\":\"platform.report\""), invoked.toString());
            assertTrue(cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1)), "the callee ran");
            // A function's segments reach the daemon within moments of its end.
            Thread.sleep(2_000);

            JsonNode logs = replay(cloud, "logs", stack);
            for (String function : List.of("TriggeringFunction", "TriggeredFunction")) {
                String messages = logs.path(function).toString();
                assertTrue(messages.contains("platform.report"), function + ": " + messages);
                assertTrue(messages.contains("platform.start"), function + ": " + messages);
            }
            assertTrue(logs.path("TriggeringFunction").toString().contains("asynchronously (HTTP 202)"), logs.toString());
            assertTrue(logs.path("TriggeredFunction").toString().contains("Triggered by "), logs.toString());

            JsonNode traces = replay(cloud, "traces");
            String traceId = invoked.path("payload").path("traceId").asText();
            List<String> functions = new ArrayList<>();
            traces.path("traces").path(traceId).forEach(segment -> {
                if (segment.path("origin").asText().equals("AWS::Lambda::Function")) {
                    functions.add(segment.path("name").asText());
                }
            });
            assertTrue(functions.containsAll(List.of(stack + "-TriggeringFunction", stack + "-TriggeredFunction")),
                    "one trace holds both functions: " + functions);
            assertTrue(traces.path("services").toString().contains(stack + "-TriggeredFunction"), traces.toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"template.yaml, xray-async", "otel/template.yaml, xray-async-otel"})
    void deployInvokeTraceAndDeleteAStackAsSamDoes(String template, String stack) throws Exception {
        Path built = SamBuildLayout.write(ROOT.resolve(template), work);
        String offline = stack + "-offline";
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(built, Map.of(), stack, Map.of(),
                List.of("alpha"), work.resolve("cloud"), Duration.ofMillis(200), 2, 0, null))) {
            JsonNode deployed = replay(cloud, "deploy", offline, built.getParent().toString());

            assertEquals("CREATE_COMPLETE", deployed.path("status").asText(), deployed.toString());
            assertEquals(offline + "-TriggeringFunction", deployed.path("outputs").path("TriggeringFunctionName")
                    .asText());
            assertTrue(deployed.path("events").toString().contains("CREATE_COMPLETE " + offline), deployed.toString());
            assertTrue(deployed.path("changes").toString().contains("[\"Add\",\"TriggeredFunction\"]"),
                    deployed.toString());

            JsonNode invoked = replay(cloud, "remote-invoke", offline, "TriggeringFunction",
                    ROOT.resolve("events/triggering-event.json").toString());
            assertTrue(cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1)), "the callee ran");
            Thread.sleep(2_000);
            JsonNode traces = replay(cloud, "traces");
            List<String> functions = new ArrayList<>();
            traces.path("traces").path(invoked.path("payload").path("traceId").asText()).forEach(segment -> {
                if (segment.path("origin").asText().equals("AWS::Lambda::Function")) {
                    functions.add(segment.path("name").asText());
                }
            });
            assertTrue(functions.containsAll(List.of(offline + "-TriggeringFunction", offline + "-TriggeredFunction")),
                    "the deployed pair in one trace: " + functions);

            JsonNode deleted = replay(cloud, "delete", offline);

            assertEquals("Stack with id " + offline + " does not exist", deleted.path("after").asText());
            assertEquals(3, deleted.path("deleted").size(), "both code zips and the template: " + deleted);
            assertEquals(0, deleted.path("left").size(), deleted.toString());
            assertTrue(cloud.lambda().functions().stream().noneMatch(function -> function.name().startsWith(offline)));
        }
    }
}
