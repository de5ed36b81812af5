package xrayasync.localcloud.core.lambda;

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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;

/**
 * Lambda's queue for asynchronous invocations: an accepted event is delivered, retried with growing delays up to the
 * function's MaximumRetryAttempts while it is younger than MaximumEventAgeInSeconds, and otherwise sent to the
 * on-failure destination (or discarded, loudly, when there is none).
 */
public final class AsyncEventQueue implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An event Lambda accepted with 202, with the target its request named, resolved when it was accepted.
     *
     * @param received when the Invoke request arrived
     * @param accepted when Lambda answered it with 202
     */
    public record QueuedEvent(String requestId, InvocationTarget target, byte[] payload, Instant received,
            Instant accepted, TraceDecision trace, String serviceSegmentId) {
    }

    /** What one delivery attempt came to. */
    public record AttemptResult(Instant start, Instant end, InvocationOutcome outcome) {
    }

    /** Runs one attempt of an event. */
    @FunctionalInterface
    public interface Delivery {
        /**
         * @throws IOException when no execution environment could be started for it
         * @throws InterruptedException when the cloud is stopping
         */
        AttemptResult deliver(QueuedEvent event, int attempt) throws IOException, InterruptedException;
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
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition noneLeft = pendingLock.newCondition();
    private long pending;
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
        countUp();
        workers.execute(() -> attempt(event, 1, new ArrayList<>()));
    }

    /** Takes an event Lambda accepted but will not run (a recursive loop): it goes where failed events go. */
    public void stop(QueuedEvent event, String condition) {
        countUp();
        workers.execute(() -> giveUp(event, new ArrayList<>(), condition));
    }

    private void countUp() {
        pendingLock.lock();
        try {
            pending++;
        } finally {
            pendingLock.unlock();
        }
    }

    private void attempt(QueuedEvent event, int number, List<AttemptResult> attempts) {
        AsyncConfig config = event.target().asyncConfig();
        if (Duration.between(event.received(), clock.instant()).toSeconds() >= config.maximumEventAgeSeconds()) {
            giveUp(event, attempts, "EventAgeExceeded");
            return;
        }
        AttemptResult result;
        try {
            result = delivery.deliver(event, number);
        } catch (IOException startFailed) {
            Instant now = clock.instant();
            result = new AttemptResult(now, now, InvocationOutcome.failure(InvocationOutcome.Kind.SERVICE_ERROR,
                    "ServiceException", "Lambda could not start an execution environment: " + startFailed.getMessage()));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            abandon(event, attempts);
            return;
        }
        attempts.add(result);
        if (!result.outcome().failed()) {
            succeeded.incrementAndGet();
            finish(event, attempts, null);
        } else if (number <= config.maximumRetryAttempts()) {
            scheduleRetry(event, number + 1, attempts);
        } else {
            giveUp(event, attempts, "RetriesExhausted");
        }
    }

    private void scheduleRetry(QueuedEvent event, int number, List<AttemptResult> attempts) {
        long delay = retryBaseDelay.toMillis() << (number - 2);
        try {
            timer.schedule(() -> workers.execute(() -> attempt(event, number, attempts)), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            abandon(event, attempts);
        }
    }

    private void giveUp(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        String queue = event.target().asyncConfig().onFailureQueue();
        if (queue == null) {
            discarded.incrementAndGet();
            log.write(event.target().function().name(), "Async event " + event.requestId() + " discarded ("
                    + condition + ", " + attempts.size() + " attempts): the function has no on-failure destination.");
        } else {
            toDestination.incrementAndGet();
            destinations.send(queue, invocationRecord(event, attempts, condition));
        }
        finish(event, attempts, condition);
    }

    /** The cloud stopped before the event ended; say so rather than let it vanish. */
    private void abandon(QueuedEvent event, List<AttemptResult> attempts) {
        log.write(event.target().function().name(), "Async event " + event.requestId() + " abandoned after "
                + attempts.size() + " attempts: the local cloud stopped before it succeeded or was given up.");
        countDown();
    }

    private void finish(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        try {
            completion.completed(event, attempts, condition);
        } finally {
            countDown();
        }
    }

    private void countDown() {
        pendingLock.lock();
        try {
            pending--;
            if (pending == 0) {
                noneLeft.signalAll();
            }
        } finally {
            pendingLock.unlock();
        }
    }

    /** The record Lambda sends to a destination, in its documented shape. */
    private ObjectNode invocationRecord(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().toString());
        record.putObject("requestContext")
                .put("requestId", event.requestId())
                .put("functionArn", event.target().invokedArn().toString())
                .put("condition", condition)
                .put("approximateInvokeCount", attempts.size());
        record.set("requestPayload", document(event.payload()));
        if (!attempts.isEmpty()) {
            InvocationOutcome last = attempts.getLast().outcome();
            ObjectNode response = record.putObject("responseContext")
                    .put("statusCode", 200)
                    .put("executedVersion", event.target().version());
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

    /** Waits until every accepted event succeeded or was given up; false if that did not happen in time. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        pendingLock.lock();
        try {
            while (pending > 0) {
                if (left <= 0) {
                    return false;
                }
                left = noneLeft.awaitNanos(left);
            }
            return true;
        } finally {
            pendingLock.unlock();
        }
    }

    /** Events accepted and not yet succeeded or given up, including those waiting for a retry. */
    public long pendingCount() {
        pendingLock.lock();
        try {
            return pending;
        } finally {
            pendingLock.unlock();
        }
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
