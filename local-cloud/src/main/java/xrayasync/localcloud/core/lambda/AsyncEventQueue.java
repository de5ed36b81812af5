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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;

/**
 * Lambda's queue for asynchronous invocations: an accepted event is delivered, retried with growing delays up to the
 * function's MaximumRetryAttempts while it is younger than MaximumEventAgeInSeconds, and otherwise sent to the
 * on-failure destination (or discarded, loudly, when there is none). Every accepted event is in the store, with its
 * attempts so far, from before Lambda's 202 until it ends, so a cloud that stopped or crashed goes on with it when it
 * starts again ({@link #resume}).
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

    /**
     * An accepted event as the store keeps it until it ends: the target by the ARN it was invoked with, and the
     * attempts so far.
     *
     * @param stopCondition why Lambda will not run it (a recursive loop), or null
     */
    public record KeptEvent(String requestId, String invokedArn, byte[] payload, Instant received, Instant accepted,
            TraceDecision trace, String serviceSegmentId, List<AttemptResult> attempts, String stopCondition) {

        static KeptEvent of(QueuedEvent event, List<AttemptResult> attempts, String stopCondition) {
            return new KeptEvent(event.requestId(), event.target().invokedArn().toString(), event.payload(),
                    event.received(), event.accepted(), event.trace(), event.serviceSegmentId(), List.copyOf(attempts),
                    stopCondition);
        }

        QueuedEvent queued(InvocationTarget target) {
            return new QueuedEvent(requestId, target, payload, received, accepted, trace, serviceSegmentId);
        }
    }

    /** Finds again the target of an event kept across a restart: empty when its function is gone. */
    @FunctionalInterface
    public interface TargetResolver {
        Optional<InvocationTarget> resolve(String invokedArn);
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
    private final Records kept;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("async-retry-timer").factory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition noneLeft = pendingLock.newCondition();
    private long pending;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong toDestination = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    /**
     * @param retryBaseDelay the wait before the first retry, doubled for each further one (Lambda: one minute)
     * @param kept where accepted events are kept until they end
     */
    public AsyncEventQueue(Delivery delivery, Completion completion, FailureDestinations destinations, CloudLog log,
            Clock clock, Duration retryBaseDelay, Records kept) {
        this.kept = kept;
        this.delivery = delivery;
        this.completion = completion;
        this.destinations = destinations;
        this.log = log;
        this.clock = clock;
        this.retryBaseDelay = retryBaseDelay;
    }

    /** Takes an event; it is kept when this returns, so Lambda may answer 202. */
    public void accept(QueuedEvent event) {
        keep(event, List.of(), null);
        countUp();
        workers.execute(() -> attempt(event, 1, new ArrayList<>()));
    }

    /** Takes an event Lambda accepted but will not run (a recursive loop): it goes where failed events go. */
    public void stop(QueuedEvent event, String condition) {
        keep(event, List.of(), condition);
        countUp();
        workers.execute(() -> giveUp(event, new ArrayList<>(), condition));
    }

    /**
     * Goes on with the events an earlier run of the cloud accepted and did not end: each is retried from the attempt
     * it had reached (an attempt cut short by the stop counts as not made), or given up if it was being given up.
     *
     * @return how many events were taken up again
     */
    public int resume(TargetResolver targets) {
        int resumed = 0;
        for (Records.Entry<KeptEvent> entry : kept.all(KeptEvent.class)) {
            KeptEvent stored = entry.value();
            Optional<InvocationTarget> target = targets.resolve(stored.invokedArn());
            if (target.isEmpty()) {
                log.write(stored.invokedArn(), "Async event " + stored.requestId() + " was accepted before the"
                        + " restart but its function is gone, so it cannot run; it is dropped.");
                kept.delete(entry.key());
                continue;
            }
            QueuedEvent event = stored.queued(target.get());
            List<AttemptResult> attempts = new ArrayList<>(stored.attempts());
            countUp();
            resumed++;
            if (stored.stopCondition() != null) {
                workers.execute(() -> giveUp(event, attempts, stored.stopCondition()));
            } else {
                workers.execute(() -> attempt(event, attempts.size() + 1, attempts));
            }
        }
        return resumed;
    }

    private void keep(QueuedEvent event, List<AttemptResult> attempts, String stopCondition) {
        kept.put(event.requestId(), "", event.accepted().toEpochMilli(), KeptEvent.of(event, attempts, stopCondition));
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
        if (result.outcome().failed()) {
            try {
                keep(event, attempts, null);
            } catch (IllegalStateException stopping) {
                // The store closed with the cloud: the event stays kept as it was, and this attempt is made again.
                abandon(event, attempts);
                return;
            }
        }
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
        } else if (destinations.send(queue, invocationRecord(event, attempts, condition))) {
            toDestination.incrementAndGet();
            log.write(event.target().function().name(), "Async event " + event.requestId() + " given up ("
                    + condition + ", " + attempts.size() + " attempts): its record is in the on-failure destination "
                    + destinations.queueUrl(queue).orElse(queue) + ".");
        } else {
            discarded.incrementAndGet();
        }
        finish(event, attempts, condition);
    }

    /** The cloud stopped before the event ended; it stays kept, and the next start on the folder goes on with it. */
    private void abandon(QueuedEvent event, List<AttemptResult> attempts) {
        log.write(event.target().function().name(), "Async event " + event.requestId() + " paused after "
                + attempts.size() + " attempts: the local cloud stopped; the event is kept and runs when a local cloud"
                + " starts again on this work folder.");
        countDown();
    }

    private void finish(QueuedEvent event, List<AttemptResult> attempts, String condition) {
        try {
            completion.completed(event, attempts, condition);
            kept.delete(event.requestId());
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
