package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import xrayasync.localcloud.core.lambda.AsyncEventQueue;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * Eight clients at once make a few hundred mixed calls (synchronous and asynchronous invokes, S3, every X-Ray read,
 * the console) while environments of both functions run: every call is answered as it should be, every accepted
 * event runs, and no function JVM outlives the cloud. Surefire runs it with a virtual-thread scheduler of two carriers
 * (execution two-carrier-scheduler of local-cloud/pom.xml), the tightest the JDK may give a small machine.
 */
@Tag("two-carrier-scheduler")
class EdgeSoakTest {

    private static final int CLIENTS = 8;
    private static final int CALLS_PER_CLIENT = 40;
    private static final int KINDS_OF_CALL = 8;

    @TempDir
    Path work;

    @Test
    void eightClientsMixingEveryApiAreAllAnsweredAndLeaveNoEnvironmentBehind() throws Exception {
        List<ProcessHandle> environments;
        AtomicInteger eventsSent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Set<ProcessHandle> alreadyRunning = ProcessHandle.current().descendants().collect(Collectors.toSet());
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            TraceCheck.Result linked = fixture.checkTrace();
            assertEquals(TraceCheck.Verdict.JOINED, linked.verdict(), linked.explanation());
            AsyncEventQueue queue = fixture.cloud.lambda().asyncQueue();
            long succeededBefore = queue.succeededCount();
            String calleeEvent = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
            List<Future<?>> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                    EdgeClients edge = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60))) {
                for (int client = 0; client < CLIENTS; client++) {
                    int first = client;
                    clients.add(pool.submit(() -> {
                        for (int call = 0; call < CALLS_PER_CLIENT; call++) {
                            int kind = (first + call) % KINDS_OF_CALL;
                            try {
                                String wrong = call(edge, fixture, kind, linked.traceId(), calleeEvent, eventsSent);
                                if (wrong != null) {
                                    failures.add("call kind " + kind + ": " + wrong);
                                }
                            } catch (Exception unanswered) {
                                failures.add("call kind " + kind + ": " + unanswered);
                            }
                        }
                    }));
                }
                for (Future<?> client : clients) {
                    client.get(2, TimeUnit.MINUTES);
                }
            }
            assertEquals(List.of(), List.copyOf(failures), "every call answered as it should be");
            assertTrue(queue.awaitIdle(Duration.ofMinutes(1)), "every accepted event ran to its end");
            // Each TriggeringFunction event queues one TriggeredFunction event of its own.
            assertEquals(2L * eventsSent.get(), queue.succeededCount() - succeededBefore);
            assertEquals(0, queue.sentToDestinationCount() + queue.discardedCount());
            environments = ProcessHandle.current().descendants()
                    .filter(process -> process.isAlive() && !alreadyRunning.contains(process)).toList();
            assertTrue(environments.size() >= 2, "several environments were alive: " + environments.size());
        }
        for (ProcessHandle environment : environments) {
            assertTrue(!environment.isAlive() || waitForExit(environment), "function JVM " + environment.pid()
                    + " outlived the local cloud");
        }
    }

    /** One call of the given kind; what was wrong with its answer, or null. */
    private static String call(EdgeClients edge, LocalCloudFixture fixture, int kind, String traceId,
            String calleeEvent, AtomicInteger eventsSent) throws Exception {
        return switch (kind) {
            case 0 -> expect(200, edge.invoke(fixture.functionName("TriggeredFunction"),
                    InvocationType.REQUEST_RESPONSE, calleeEvent).statusCode());
            case 1 -> {
                int status = edge.invoke(fixture.functionName("TriggeringFunction"), InvocationType.EVENT, "{}")
                        .statusCode();
                eventsSent.incrementAndGet();
                yield expect(202, status);
            }
            case 2 -> edge.bucketNames().equals(List.of("alpha", "beta", "gamma")) ? null : "other buckets";
            case 3 -> edge.traceSummaryCount() > 0 ? null : "no trace summaries";
            case 4 -> edge.xray.batchGetTraces(request -> request.traceIds(traceId)).traces().size() == 1 ? null
                    : "the linked trace is missing";
            case 5 -> edge.serviceGraphSize() > 0 ? null : "an empty service graph";
            case 6 -> edge.xray.getTraceGraph(request -> request.traceIds(traceId)).services().size() == 6 ? null
                    : "the linked trace's graph does not have its six services";
            default -> expect(200, edge.consolePage().statusCode());
        };
    }

    private static String expect(int status, int actual) {
        return status == actual ? null : "HTTP " + actual + " instead of " + status;
    }

    private static boolean waitForExit(ProcessHandle process) {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception stillRunning) {
            return false;
        }
    }
}
