package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import xrayasync.localcloud.core.template.FunctionDefinition;

/** TriggeredFunction failing in the ways a JVM function fails; every event is retried, then delivered or kept. */
class TriggeredFaultsEndToEndTest {

    @TempDir
    Path work;

    private static void sendEvent(LocalCloudFixture fixture) throws Exception {
        FunctionDefinition triggered = fixture.cloud.stack().function("TriggeredFunction");
        String payload = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
        assertEquals(202, fixture.clients.lambda().invoke(request -> request
                .functionName(triggered.arn().qualified(triggered.alias()).toString())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload))).statusCode());
    }

    private static long reports(LocalCloudFixture fixture) {
        return fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                .filter(line -> line.startsWith("REPORT")).count();
    }

    @Test
    void timedOutEventIsRetriedThenKeptWithTheTimeout() throws Exception {
        Path template = LocalCloudFixture.editedTemplate(work, "      Tracing: !Ref TriggeredTracingMode\n",
                "      Tracing: !Ref TriggeredTracingMode\n      Timeout: 2\n");
        try (LocalCloudFixture fixture = new LocalCloudFixture(template, work.resolve("cloud"), Map.of())) {
            fixture.cloud.s3().slowDown(Duration.ofSeconds(4), Integer.MAX_VALUE);

            sendEvent(fixture);

            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(90)));
            List<ObjectNode> kept = fixture.cloud.failureDestinations().records(fixture.cloud.stack().queueArn("TriggeredFailureQueue"));
            assertEquals(1, kept.size());
            JsonNode record = kept.getFirst();
            assertEquals(3, record.path("requestContext").path("approximateInvokeCount").asInt());
            assertTrue(record.path("responsePayload").path("errorMessage").asText()
                    .contains("Task timed out after 2.00 seconds"), record.toString());
            assertEquals(3, reports(fixture));
            assertEquals(1, fixture.cloud.lambda().asyncQueue().sentToDestinationCount()
                    + fixture.cloud.lambda().asyncQueue().succeededCount());
        }
    }

    @Test
    void jvmKilledMidInvocationIsReportedThenTheRetrySucceedsInANewEnvironment() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            fixture.cloud.s3().slowDown(Duration.ofSeconds(3), 1);

            sendEvent(fixture);

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (fixture.cloud.s3().requestCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            ProcessHandle runtime = functionJvm("xrayasync.triggered.TriggeredHandler::handleRequest").orElseThrow();
            // SIGKILL, as the kernel's out-of-memory killer ends a process.
            assertTrue(runtime.destroyForcibly());

            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(60)));
            assertEquals(1, fixture.cloud.lambda().asyncQueue().succeededCount());
            assertEquals(List.of(), fixture.cloud.failureDestinations().records(fixture.cloud.stack().queueArn("TriggeredFailureQueue")));
            assertTrue(fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                    .anyMatch(line -> line.contains("Runtime.ExitError")));
            assertEquals(2, reports(fixture));
        }
    }

    private static Optional<ProcessHandle> functionJvm(String handler) {
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(handler))
                .findFirst();
    }
}
