package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * The local cloud keeps answering when the virtual-thread scheduler has only two carriers, as the JDK may give a
 * small machine: with environments of both functions running (each with a stdout and a stderr reader), every API and
 * the console answer within seconds. Surefire runs this class alone in a JVM with that scheduler (execution
 * two-carrier-scheduler of local-cloud/pom.xml).
 */
@Tag("two-carrier-scheduler")
class TwoCarrierSchedulerTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final Duration COLD_START = Duration.ofSeconds(30);

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        assertEquals("2", System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"),
                "this test needs a scheduler of two carriers: run it through surefire's two-carrier-scheduler execution");
        fixture = new LocalCloudFixture(work, Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyApiAndTheConsoleAnswerWhileEnvironmentsOfBothFunctionsRun() throws Exception {
        String caller = fixture.functionName("TriggeringFunction");
        String callee = fixture.functionName("TriggeredFunction");
        String calleeEvent = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
        try (EdgeClients cold = new EdgeClients(fixture.cloud.endpoint(), COLD_START)) {
            assertEquals(200, cold.invoke(callee, InvocationType.REQUEST_RESPONSE, calleeEvent).statusCode());
            assertEquals(200, cold.invoke(caller, InvocationType.REQUEST_RESPONSE, "{}").statusCode());
        }
        assertTrue(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count() >= 2,
                "an environment of each function is running");

        try (EdgeClients clients = new EdgeClients(fixture.cloud.endpoint(), PROMPTLY)) {
            assertEquals(200, clients.invoke(callee, InvocationType.REQUEST_RESPONSE, calleeEvent).statusCode());
            assertEquals(202, clients.invoke(caller, InvocationType.EVENT, "{}").statusCode());
            assertEquals(List.of("alpha", "beta", "gamma"), clients.bucketNames());
            assertTrue(clients.traceSummaryCount() > 0, "the invocations above were sampled");
            assertTrue(clients.serviceGraphSize() > 0);
            assertEquals(200, clients.consolePage().statusCode());
        }
    }
}
