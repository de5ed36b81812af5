package xrayasync.localcloud.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import xrayasync.localcloud.core.lambda.AsyncEventQueue.AttemptResult;
import xrayasync.localcloud.core.lambda.AsyncEventQueue.QueuedEvent;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.sqs.SqsService;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.TemporaryStore;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;
import xrayasync.localcloud.core.template.FunctionDefinition.TracingMode;

/** Lambda's async queue rules: retries, maximum event age, on-failure destination, nothing dropped silently. */
class AsyncEventQueueTest {

    private static final FunctionArn ARN = FunctionArn.parse("arn:aws:lambda:us-east-1:123456789012:function:callee:live");
    private static final TraceDecision TRACE = new TraceDecision("1-6743a1b2-0123456789abcdef01234567", null, TracingMode.ACTIVE, true,
            Map.of());

    private static final String FAILURES = "arn:aws:sqs:us-east-1:123456789012:Failures";

    @RegisterExtension
    final TemporaryStore temporary = new TemporaryStore();

    private final List<String> completions = new CopyOnWriteArrayList<>();
    private CloudLog log;
    private FailureDestinations destinations;

    @BeforeEach
    void failureQueue() {
        log = new CloudLog(null, new LogsService(temporary.store(), Clock.systemUTC()), Clock.systemUTC());
        SqsService sqs = new SqsService(temporary.store(), Clock.systemUTC(), "us-east-1", "123456789012",
                URI.create("http://127.0.0.1:4566"));
        sqs.createQueue("Failures", Map.of(), Map.of());
        destinations = new FailureDestinations(sqs, log, "123456789012");
    }

    private static AttemptResult result(InvocationOutcome outcome) {
        return new AttemptResult(Instant.now(), Instant.now(), outcome);
    }

    private static InvocationOutcome failure() {
        return InvocationOutcome.failure(InvocationOutcome.Kind.FUNCTION_ERROR, "java.lang.IllegalStateException",
                "boom");
    }

    private AsyncEventQueue queue(AsyncEventQueue.Delivery delivery, FailureDestinations destinations, Clock clock) {
        return queue(delivery, destinations, clock, Duration.ofMillis(10));
    }

    private AsyncEventQueue queue(AsyncEventQueue.Delivery delivery, FailureDestinations destinations, Clock clock,
            Duration retryDelay) {
        return new AsyncEventQueue(delivery, (event, attempts, condition) ->
                completions.add(attempts.size() + ":" + condition), destinations, log, clock, retryDelay,
                temporary.store().records("lambda-async-event"));
    }

    private static QueuedEvent event(AsyncConfig config, Instant received) {
        FunctionDefinition callee = new FunctionDefinition("Callee", "callee", ARN.unqualified(), Path.of("callee"),
                "callee.Handler::handleRequest", "java25", 512, 10, TracingMode.ACTIVE, "JSON", Map.of(), "live",
                config, null, List.of("arm64"), "/aws/lambda/callee", "None", "arn:aws:iam::123456789012:role/callee",
                Map.of());
        return new QueuedEvent(UUID.randomUUID().toString(), new InvocationTarget(callee, "1", ARN, config),
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8), received, received, TRACE, "aaaaaaaaaaaaaaaa");
    }

    @Test
    void successfulEventIsDeliveredOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (AsyncEventQueue queue = queue((event, attempt) -> {
            attempts.incrementAndGet();
            return result(InvocationOutcome.success("{}".getBytes(StandardCharsets.UTF_8)));
        }, destinations, Clock.systemUTC())) {
            queue.accept(event(new AsyncConfig(2, 3600, FAILURES), Instant.now()));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(1, attempts.get());
            assertEquals(List.of("1:null"), completions);
            assertEquals(1, queue.succeededCount());
        }
    }

    @Test
    void failingEventIsRetriedThenSentToTheDestinationWithItsError() throws Exception {
        try (AsyncEventQueue queue = queue((event, attempt) -> result(failure()), destinations, Clock.systemUTC())) {
            queue.accept(event(new AsyncConfig(2, 3600, FAILURES), Instant.now()));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            JsonNode record = destinations.records(FAILURES).getFirst();
            assertEquals("RetriesExhausted", record.path("requestContext").path("condition").asText());
            assertEquals(3, record.path("requestContext").path("approximateInvokeCount").asInt());
            assertEquals(1, record.path("requestPayload").path("n").asInt());
            assertEquals("boom", record.path("responsePayload").path("errorMessage").asText());
            assertEquals(List.of("3:RetriesExhausted"), completions);
        }
    }

    @Test
    void zeroRetriesMeansOneAttempt() throws Exception {
        try (AsyncEventQueue queue = queue((event, attempt) -> result(failure()), destinations, Clock.systemUTC())) {
            queue.accept(event(new AsyncConfig(0, 3600, FAILURES), Instant.now()));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(1, destinations.records(FAILURES).getFirst().path("requestContext")
                    .path("approximateInvokeCount").asInt());
        }
    }

    @Test
    void eventOlderThanTheMaximumAgeGoesToTheDestinationWithoutAnAttempt() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        AtomicInteger attempts = new AtomicInteger();
        try (AsyncEventQueue queue = queue((event, attempt) -> {
            attempts.incrementAndGet();
            return result(failure());
        }, destinations, clock)) {
            queue.accept(event(new AsyncConfig(2, 60, FAILURES), clock.instant().minusSeconds(61)));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(0, attempts.get());
            JsonNode record = destinations.records(FAILURES).getFirst();
            assertEquals("EventAgeExceeded", record.path("requestContext").path("condition").asText());
            assertEquals(0, record.path("requestContext").path("approximateInvokeCount").asInt());
        }
    }

    @Test
    void withoutDestinationAFailedEventIsDiscardedLoudly() throws Exception {
        try (AsyncEventQueue queue = queue((event, attempt) -> result(failure()), destinations, Clock.systemUTC())) {
            queue.accept(event(new AsyncConfig(1, 3600, null), Instant.now()));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(1, queue.discardedCount());
            assertTrue(log.lines("callee").getFirst().contains("discarded (RetriesExhausted, 2 attempts)"),
                    log.lines("callee").toString());
        }
    }

    @Test
    void countsAddUpToTheEventsAccepted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AsyncEventQueue queue = queue((event, attempt) -> calls.incrementAndGet() % 2 == 0
                ? result(InvocationOutcome.success(new byte[0])) : result(failure()), destinations, Clock.systemUTC())) {
            for (int i = 0; i < 20; i++) {
                queue.accept(event(new AsyncConfig(0, 3600, FAILURES), Instant.now()));
            }

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(20, queue.succeededCount() + queue.sentToDestinationCount());
            assertEquals(queue.sentToDestinationCount(), destinations.records(FAILURES).size());
        }
    }

    @Test
    void aRecordWhoseQueueDoesNotExistIsWrittenToTheTranscriptInFull() throws Exception {
        String missing = "arn:aws:sqs:us-east-1:123456789012:Gone";
        try (AsyncEventQueue queue = queue((event, attempt) -> result(failure()), destinations, Clock.systemUTC())) {
            queue.accept(event(new AsyncConfig(0, 3600, missing), Instant.now()));

            assertTrue(queue.awaitIdle(Duration.ofSeconds(5)));
            String line = log.lines("callee").getLast();
            assertTrue(line.contains("could not be sent to its on-failure destination " + missing), line);
            assertTrue(line.contains("\"requestPayload\":{\"n\":1}"), line);
            assertEquals(List.of(), destinations.records(missing));
        }
    }

    /** Waits until the store holds the event with that many attempts made (kept once each attempt has ended). */
    private void awaitKeptAttempts(QueuedEvent event, int attempts) throws InterruptedException {
        Records kept = temporary.store().records("lambda-async-event");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (kept.get(event.requestId(), AsyncEventQueue.KeptEvent.class)
                .map(stored -> stored.attempts().size()).orElse(0) < attempts) {
            assertTrue(System.nanoTime() < deadline, "the store kept " + attempts + " attempts of the event");
            Thread.sleep(10);
        }
    }

    /** An event a queue accepted and was closed on while the event's first attempt ran. */
    private QueuedEvent acceptedByACloudThatStopsDuringTheFirstAttempt() {
        QueuedEvent accepted = event(new AsyncConfig(2, 3600, FAILURES), Instant.now());
        try (AsyncEventQueue stopping = queue((event, attempt) -> {
            Thread.sleep(60_000);
            throw new AssertionError("the cloud stopped before this attempt ended");
        }, destinations, Clock.systemUTC())) {
            stopping.accept(accepted);
        }
        return accepted;
    }

    @Test
    void anEventAcceptedBeforeTheCloudStoppedIsDeliveredWhenTheNextOneResumes() throws Exception {
        QueuedEvent accepted = acceptedByACloudThatStopsDuringTheFirstAttempt();
        AtomicInteger delivered = new AtomicInteger();
        try (AsyncEventQueue resumed = queue((event, attempt) -> {
            delivered.incrementAndGet();
            return result(InvocationOutcome.success("{}".getBytes(StandardCharsets.UTF_8)));
        }, destinations, Clock.systemUTC())) {
            assertEquals(1, resumed.resume(arn -> Optional.of(accepted.target())));

            assertTrue(resumed.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(1, delivered.get());
            assertEquals(0, temporary.store().records("lambda-async-event").count());
        }
    }

    @Test
    void anEventBetweenRetriesWhenTheCloudStoppedGoesOnFromItsNextAttempt() throws Exception {
        QueuedEvent accepted = event(new AsyncConfig(2, 3600, FAILURES), Instant.now());
        CountDownLatch firstAttempt = new CountDownLatch(1);
        try (AsyncEventQueue stopping = queue((event, attempt) -> {
            firstAttempt.countDown();
            return result(failure());
        }, destinations, Clock.systemUTC(), Duration.ofMinutes(10))) {
            stopping.accept(accepted);
            assertTrue(firstAttempt.await(5, TimeUnit.SECONDS));
            awaitKeptAttempts(accepted, 1);
        }
        List<Integer> attemptNumbers = new CopyOnWriteArrayList<>();
        try (AsyncEventQueue resumed = queue((event, attempt) -> {
            attemptNumbers.add(attempt);
            return result(failure());
        }, destinations, Clock.systemUTC())) {
            resumed.resume(arn -> Optional.of(accepted.target()));

            assertTrue(resumed.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(List.of(2, 3), attemptNumbers);
            JsonNode record = destinations.records(FAILURES).getFirst();
            assertEquals(3, record.path("requestContext").path("approximateInvokeCount").asInt());
        }
    }

    @Test
    void aKeptEventWhoseFunctionIsGoneIsDroppedWithALineThatSaysSo() throws Exception {
        QueuedEvent accepted = acceptedByACloudThatStopsDuringTheFirstAttempt();
        try (AsyncEventQueue resumed = queue((event, attempt) -> result(failure()), destinations,
                Clock.systemUTC())) {
            assertEquals(0, resumed.resume(arn -> Optional.empty()));

            assertEquals(0, temporary.store().records("lambda-async-event").count());
            assertTrue(String.join("\n", log.lines(ARN.toString())).contains("its function is gone"),
                    log.lines(ARN.toString()).toString());
        }
    }
}
