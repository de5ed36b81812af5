package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * A function that invokes itself asynchronously through its X-Ray-instrumented client: Lambda stops the loop after 16
 * invocations when the Lineage field reaches it (TriggeringFunction's LineagePropagation), and cannot when it does not.
 */
class RecursiveLoopEndToEndTest {

    @TempDir
    Path work;

    /** TriggeringFunction with its own alias as the function it invokes: a loop. */
    private Path loopingTemplate() throws Exception {
        return LocalCloudFixture.editedTemplate(work,
                "TRIGGERED_FUNCTION_NAME: !If [HopIsLambdaEvent, !Ref TriggeredFunction.Alias, !Ref AWS::NoValue]",
                "TRIGGERED_FUNCTION_NAME: !If [HopIsLambdaEvent, !Ref TriggeringFunction.Alias, !Ref AWS::NoValue]");
    }

    private static void startLoop(LocalCloudFixture fixture) {
        FunctionDefinition looping = fixture.cloud.stack().function("TriggeringFunction");
        assertEquals(202, fixture.clients.lambda().invoke(request -> request
                .functionName(looping.arn().qualified(looping.alias()).toString())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{}"))).statusCode());
    }

    private static long reports(LocalCloudFixture fixture) {
        return fixture.cloud.log().lines(fixture.functionName("TriggeringFunction")).stream()
                .filter(line -> line.startsWith("REPORT")).count();
    }

    @Test
    void loopCarryingLineageIsStoppedAfterSixteenInvocations() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(loopingTemplate(), work.resolve("cloud"), Map.of())) {
            startLoop(fixture);

            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (fixture.cloud.lambda().asyncQueue().discardedCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(30)));

            assertEquals(16, reports(fixture));
            assertEquals(1, fixture.cloud.lambda().asyncQueue().discardedCount());
            assertTrue(fixture.cloud.log().lines(fixture.functionName("TriggeringFunction")).stream()
                    .anyMatch(line -> line.contains("Lambda stopped request") && line.contains("16 times")));
        }
    }

    @Test
    void loopWhoseInvokeCarriesNoLineageRunsPastSixteen() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(loopingTemplate(), work.resolve("cloud"),
                Map.of("TracePropagation", "Disabled"))) {
            startLoop(fixture);

            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (reports(fixture) <= 20 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            assertTrue(reports(fixture) > 20, "invocations: " + reports(fixture));
            assertEquals(0, fixture.cloud.lambda().asyncQueue().discardedCount(), "nothing stopped the loop");
        }
    }
}
