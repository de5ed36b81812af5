package xrayasync.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import xrayasync.localcloud.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.template.FunctionDefinition.AsyncConfig;

/**
 * Lambda's queue for asynchronous invocations: an accepted event is delivered, retried with growing delays up to the
 * function's MaximumRetryAttempts while it is younger than MaximumEventAgeInSeconds, and otherwise sent to the
 * on-failure destination (or discarded, loudly, when there is none).
 */
public final class AsyncEventQueue implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An event Lambda accepted with 202. */
    public record QueuedEvent(String requestId, String functionArn, String version, byte[] payload, Instant received,
            AsyncConfig config, TraceDecision trace, String serviceSegmentId) {
    }

    /** What one delivery attempt came to. */
    public record AttemptResult(Instant start, Instant end, InvocationOutcome outcome) {
    }

    /** Runs one attempt of an event. */
    @FunctionalInterface
    public interface Delivery {
        AttemptResult deliver(QueuedEvent event, int attempt) throws Exception;
    }

    /** Told once per event, when it succeeded or was given up. */
    @FunctionalInterface
    public interface Completion {
        /** @param condition null on success, else RetriesExhausted or EventAgeExceeded */
        void completed(QueuedEvent event, List<AttemptResult> attempts, String condition);
    }

    private final Delivery delivery;
    private final Completion completion;
    private final FailureDestinations destinations;
    private final CloudLog log;
    private final Clock clock;
    private final Duration retryBaseDelay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("async-retry-timer").factory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong toDestination = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    /** @param retryBaseDelay the wait before the first retry, doubled for each further one (Lambda: one minute) */
    public AsyncEventQueue(Delivery delivery, Completion completion, FailureDestinations destinations, CloudLog log,
            Clock clock, Duration retryBaseDelay) {
        this.delivery = delivery;
        this.completion = completion;
        this.destinations = destinations;
        this.log = log;
        this.clock = clock;
        this.retryBaseDelay = retryBaseDelay;
    }

    public void accept(QueuedEvent event) {
        pending.incrementAndGet();
        workers.execute(() -> attempt(event, 1, new ArrayList<>()));
    }

    private void attempt(QueuedEvent event, int number, List<AttemptResult> attempts) {
        if (Duration.between(event.received(), clock.instant()).toSeconds() >= event.config().maximumEventAgeSeconds()) {
            giveUp(event, attempts, "EventAgeExceeded");
            return;
        }
        AttemptResult result;
        try {
            result = delivery.deliver(event, number);
        } catch (Exception failure) {
            result = new AttemptResult(clock.instant(), clock.instant(), InvocationOutcome.failure(
                    InvocationOutcome.Kind.RUNTIME_EXIT, "ServiceException", "Delivery failed: " + failure));
        }
        attempts.add(result);
        if (!result.outcome().failed()) {
            succeeded.incrementAndGet();
            finish(event, attempts, null);
        } else if (number <= event.config().maximumRetryAttempts()) {
            long delay = retryBaseDelay.toMillis() << (number - 1);
            timer.schedule(() -> workers.execute(() -> attempt(event, number + 1, attempts)), delay,
                    TimeUnit.MILLISECONDS);
        } else {
            giveUp(event, attempts, "RetriesExhausted");
        }
    }

    private void giveUp(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        String queue = event.config().onFailureQueue();
        if (queue == null) {
            discarded.incrementAndGet();
            log.write(functionName(event), "Async event " + event.requestId() + " discarded (" + condition
                    + ", " + attempts.size() + " attempts): the function has no on-failure destination.");
        } else {
            toDestination.incrementAndGet();
            destinations.send(queue, invocationRecord(event, attempts, condition));
        }
        finish(event, attempts, condition);
    }

    private void finish(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        try {
            completion.completed(event, attempts, condition);
        } finally {
            synchronized (pending) {
                pending.decrementAndGet();
                pending.notifyAll();
            }
        }
    }

    /** The record Lambda sends to a destination, in its documented shape. */
    private ObjectNode invocationRecord(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().toString());
        record.putObject("requestContext")
                .put("requestId", event.requestId())
                .put("functionArn", event.functionArn())
                .put("condition", condition)
                .put("approximateInvokeCount", attempts.size());
        record.set("requestPayload", document(event.payload()));
        if (!attempts.isEmpty()) {
            InvocationOutcome last = attempts.getLast().outcome();
            ObjectNode response = record.putObject("responseContext")
                    .put("statusCode", 200)
                    .put("executedVersion", event.version());
            if (last.failed()) {
                response.put("functionError", "Unhandled");
            }
            record.set("responsePayload", document(last.payload()));
        }
        return record;
    }

    private static JsonNode document(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private static String functionName(QueuedEvent event) {
        String[] arn = event.functionArn().split(":");
        return arn.length > 6 ? arn[6] : event.functionArn();
    }

    /** Waits until every accepted event succeeded or was given up; false if that did not happen in time. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pending, left);
            }
        }
        return true;
    }

    /** Events accepted and not yet succeeded or given up, including those waiting for a retry. */
    public long pendingCount() {
        return pending.get();
    }

    public long succeededCount() {
        return succeeded.get();
    }

    public long sentToDestinationCount() {
        return toDestination.get();
    }

    public long discardedCount() {
        return discarded.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
