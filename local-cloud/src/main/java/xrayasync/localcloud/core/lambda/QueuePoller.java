package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import xrayasync.localcloud.core.sqs.SqsService;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * One SQS event source mapping at work, as Lambda's poller runs it (Lambda developer guide, "Using Lambda with Amazon
 * SQS" and "Handling errors for an SQS event source"): it long-polls the queue, gathers up to the batch size within
 * the batching window, invokes the function synchronously with the batch as an SQS event, and deletes what succeeded.
 * A failed batch is left alone: its messages come back after the queue's visibility timeout and, received too often,
 * go to the queue's dead-letter queue by its redrive policy. With {@code ReportBatchItemFailures} only the messages
 * the function names in {@code batchItemFailures} stay; an answer that names a message not in the batch, or none by
 * an empty id, fails the whole batch, as Lambda treats it.
 */
final class QueuePoller implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's pollers use long polling; 20 s is SQS's longest wait. */
    private static final int LONG_POLL_SECONDS = 20;
    private static final long FAILURE_PAUSE_MILLIS = 1000;

    private final EventSourceMappings.Mapping mapping;
    private final SqsService sqs;
    private final LambdaService lambda;
    private final CloudLog log;
    private final Clock clock;
    private final String region;
    private final AtomicBoolean running = new AtomicBoolean(true);

    QueuePoller(EventSourceMappings.Mapping mapping, SqsService sqs, LambdaService lambda, CloudLog log, Clock clock,
            String region) {
        this.mapping = mapping;
        this.sqs = sqs;
        this.lambda = lambda;
        this.log = log;
        this.clock = clock;
        this.region = region;
    }

    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            try {
                List<SqsService.Message> batch = gather();
                if (!batch.isEmpty()) {
                    handle(batch);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException failure) {
                if (!running.get()) {
                    return;
                }
                log.write(mapping.functionName(), "The event source mapping " + mapping.uuid() + " could not poll "
                        + mapping.queueArn() + " (" + failure.getMessage() + "); it polls again in a second.");
                try {
                    Thread.sleep(FAILURE_PAUSE_MILLIS);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Up to a batch: the first messages by long polling, then more until the batch is full or the window closes. A
     * message received again within the window (a visibility timeout shorter than the window, which AWS advises
     * against) is one record, with its latest receipt handle.
     */
    private List<SqsService.Message> gather() throws InterruptedException {
        Map<String, SqsService.Message> batch = new LinkedHashMap<>();
        sqs.receive(mapping.queueName(), Math.min(10, mapping.batchSize()), null, LONG_POLL_SECONDS)
                .forEach(message -> batch.put(message.messageId(), message));
        long windowEnd = clock.millis() + mapping.batchingWindowSeconds() * 1000L;
        while (!batch.isEmpty() && batch.size() < mapping.batchSize() && running.get()) {
            long left = windowEnd - clock.millis();
            if (left <= 0) {
                break;
            }
            sqs.receive(mapping.queueName(), Math.min(10, mapping.batchSize() - batch.size()), null,
                    (int) Math.min(LONG_POLL_SECONDS, Math.max(1, left / 1000)))
                    .forEach(message -> batch.put(message.messageId(), message));
        }
        return List.copyOf(batch.values());
    }

    private void handle(List<SqsService.Message> batch) throws IOException, InterruptedException {
        InvocationTarget target = lambda.resolve(mapping.functionName(), null);
        List<TraceHeader> producers = batch.stream()
                .map(message -> message.systemAttributes().get(SqsService.TRACE_HEADER))
                .filter(header -> header != null && header.stringValue() != null)
                .map(header -> TraceHeader.parse(header.stringValue())).toList();
        LambdaService.SyncResult result = lambda.invokeBatch(target, event(batch), producers);
        Set<String> failed = failedMessages(batch, result.outcome());
        for (SqsService.Message message : batch) {
            if (!failed.contains(message.messageId())) {
                sqs.delete(mapping.queueName(), message.receiptHandle());
            }
        }
        if (!failed.isEmpty()) {
            log.write(target.function().name(), failed.size() + " of " + batch.size() + " messages from "
                    + mapping.queueArn() + " failed in request " + result.requestId() + " ("
                    + (result.outcome().failed() ? result.outcome().errorType() : "batchItemFailures")
                    + "): they stay in the queue and come back after its visibility timeout.");
        }
    }

    /** The ids of the batch's messages that stay in the queue. */
    private Set<String> failedMessages(List<SqsService.Message> batch, InvocationOutcome outcome) {
        Set<String> all = new HashSet<>(batch.stream().map(SqsService.Message::messageId).toList());
        if (outcome.failed()) {
            return all;
        }
        if (!mapping.reportBatchItemFailures()) {
            return Set.of();
        }
        JsonNode response;
        try {
            response = JSON.readTree(outcome.payload());
        } catch (IOException notJson) {
            return all;
        }
        if (response == null || response.isNull() || response.isMissingNode()) {
            return Set.of();
        }
        JsonNode failures = response.path("batchItemFailures");
        if (failures.isMissingNode() || failures.isNull()) {
            return Set.of();
        }
        if (!failures.isArray()) {
            return all;
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : failures) {
            String id = failure.path("itemIdentifier").asText("");
            if (!all.contains(id)) {
                return all;
            }
            failed.add(id);
        }
        return failed;
    }

    /** The batch as Lambda delivers it: an SQS event of records (Lambda developer guide, services-sqs, sample event). */
    private byte[] event(List<SqsService.Message> batch) throws IOException {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (SqsService.Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(message.receiveCount()));
            message.systemAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
            attributes.put("SentTimestamp", Long.toString(message.sentTimestamp()));
            attributes.put("SenderId", message.senderId());
            attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(message.firstReceiveTimestamp()));
            ObjectNode attributeNode = record.putObject("attributes");
            attributes.forEach(attributeNode::put);
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.attributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name);
                if (value.stringValue() != null) {
                    attribute.put("stringValue", value.stringValue());
                }
                if (value.binaryValue() != null) {
                    attribute.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue()));
                }
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
                attribute.put("dataType", value.dataType());
            });
            if (message.md5OfAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfAttributes());
            }
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", mapping.queueArn());
            record.put("awsRegion", region);
        }
        return JSON.writeValueAsBytes(event);
    }
}
