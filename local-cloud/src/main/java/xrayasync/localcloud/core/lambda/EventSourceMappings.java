package xrayasync.localcloud.core.lambda;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.sqs.SqsService;

/**
 * Lambda's event source mappings from SQS queues: each mapping's settings, checked as CreateEventSourceMapping checks
 * them, and its poller, on a virtual thread that parks while it long-polls or waits for the function. A mapping lives
 * as long as the stack that declares it, which makes it again when the cloud starts; a batch cut short by a stop
 * stays in its queue and comes back after the visibility timeout, as SQS delivers at least once.
 */
public final class EventSourceMappings implements AutoCloseable {

    /** Lambda's limits for a standard queue (Lambda API reference, CreateEventSourceMapping). */
    static final int MAXIMUM_BATCH_SIZE = 10_000;
    static final int MAXIMUM_BATCHING_WINDOW_SECONDS = 300;

    /**
     * A mapping as declared.
     *
     * @param functionName the function, version or alias invoked, as FunctionName gives it
     * @param batchingWindowSeconds how long the poller gathers messages before it invokes (MaximumBatchingWindowInSeconds)
     * @param reportBatchItemFailures whether FunctionResponseTypes holds ReportBatchItemFailures
     */
    public record Mapping(String uuid, String queueArn, String queueName, String functionName, int batchSize,
            int batchingWindowSeconds, boolean reportBatchItemFailures, boolean enabled) {
    }

    private record Running(QueuePoller poller, Thread thread) {
    }

    private final SqsService sqs;
    private final LambdaService lambda;
    private final CloudLog log;
    private final String region;
    private final Map<String, Mapping> mappings = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public EventSourceMappings(SqsService sqs, LambdaService lambda, CloudLog log, String region) {
        this.sqs = sqs;
        this.lambda = lambda;
        this.log = log;
        this.region = region;
    }

    /**
     * Makes the mapping hold these settings, creating it when new; its poller starts again with them.
     *
     * @param queueArn the EventSourceArn
     * @param batchSize null for Lambda's default of 10
     * @param batchingWindowSeconds null for none
     */
    public synchronized Mapping declare(String uuid, String queueArn, String functionName, Integer batchSize,
            Integer batchingWindowSeconds, boolean reportBatchItemFailures, boolean enabled) {
        String queue = sqs.nameOfArn(queueArn).filter(sqs::exists).orElseThrow(() -> invalid("The event source "
                + queueArn + " is no SQS queue of this account and region: give the queue's Arn attribute"
                + " (!GetAtt Queue.Arn)."));
        lambda.resolve(functionName, null);
        int size = batchSize == null ? 10 : batchSize;
        int window = batchingWindowSeconds == null ? 0 : batchingWindowSeconds;
        if (size < 1 || size > MAXIMUM_BATCH_SIZE) {
            throw invalid("BatchSize " + size + " is out of range for an SQS queue: give 1 to " + MAXIMUM_BATCH_SIZE
                    + ".");
        }
        if (window < 0 || window > MAXIMUM_BATCHING_WINDOW_SECONDS) {
            throw invalid("MaximumBatchingWindowInSeconds " + window + " is out of range: give 0 to "
                    + MAXIMUM_BATCHING_WINDOW_SECONDS + ".");
        }
        if (size > 10 && window < 1) {
            throw invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater"
                    + " than 10: set MaximumBatchingWindowInSeconds, or a BatchSize of 10 or less.");
        }
        Mapping mapping = new Mapping(uuid, queueArn, queue, functionName, size, window, reportBatchItemFailures,
                enabled);
        stopPoller(uuid);
        mappings.put(uuid, mapping);
        if (enabled && !closed) {
            QueuePoller poller = new QueuePoller(mapping, sqs, lambda, log, Clock.systemUTC(), region);
            running.put(uuid, new Running(poller, Thread.ofVirtual().name("sqs-poller-" + uuid).start(poller)));
        }
        return mapping;
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(400, "InvalidParameterValueException", message);
    }

    /** Deletes the mapping; its poller stops, and what it had received comes back after the visibility timeout. */
    public synchronized void remove(String uuid) {
        stopPoller(uuid);
        mappings.remove(uuid);
    }

    private void stopPoller(String uuid) {
        Running current = running.remove(uuid);
        if (current != null) {
            current.poller().stop();
            current.thread().interrupt();
        }
    }

    public Optional<Mapping> mapping(String uuid) {
        return Optional.ofNullable(mappings.get(uuid));
    }

    public List<Mapping> mappings() {
        return List.copyOf(mappings.values());
    }

    /** Whether every enabled mapping's queue is empty: no message waits, is delayed, or is being handled. */
    public boolean idle() {
        return mappings().stream().filter(Mapping::enabled)
                .allMatch(mapping -> !sqs.exists(mapping.queueName()) || sqs.messages(mapping.queueName()).isEmpty());
    }

    @Override
    public synchronized void close() {
        closed = true;
        List.copyOf(running.keySet()).forEach(this::stopPoller);
    }
}
