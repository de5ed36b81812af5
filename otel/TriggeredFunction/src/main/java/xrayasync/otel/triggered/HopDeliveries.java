package xrayasync.otel.triggered;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * Where each async hop puts the TriggerPayload in the event it delivers, and what a failed payload does to the
 * delivery: an SQS batch reports the failed messages alone, SNS and EventBridge fail the invocation.
 */
final class HopDeliveries {

    /** Handles one payload as TriggeredFunction does for every hop: check it, record the caller, list buckets. */
    @FunctionalInterface
    interface PayloadHandling {
        void handle(byte[] payload) throws IOException;
    }

    private HopDeliveries() {
    }

    /**
     * Handles each message's body and returns the messages that failed, so that with ReportBatchItemFailures Lambda
     * deletes the others and only the failed ones go back to the queue (and, once retried out, to its dead-letter
     * queue). A failure that is not the payload's or S3's is a fault of the function and fails the whole batch.
     */
    static SQSBatchResponse eachMessage(SQSEvent event, LambdaLogger logger, PayloadHandling handling) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : records(event.getRecords())) {
            try {
                handling.handle(bytes(message.getBody()));
            } catch (InvalidPayloadException | AwsCallFailedException | IOException failure) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                logger.log("Message " + message.getMessageId() + " failed and goes back to the queue for a retry: "
                        + failure.getMessage(), LogLevel.ERROR);
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Handles each notification's message; a failure fails the invocation, so Lambda's async retries apply. */
    static void eachNotification(SNSEvent event, PayloadHandling handling) throws IOException {
        for (SNSEvent.SNSRecord record : records(event.getRecords())) {
            handling.handle(bytes(record.getSNS() == null ? null : record.getSNS().getMessage()));
        }
    }

    /**
     * The event's detail, written back to the JSON the sender put in the entry's Detail: EventBridge delivers it as
     * an object, which the runtime has already read into a map.
     */
    static byte[] detail(ScheduledEvent event) {
        try {
            return event.getDetail() == null ? new byte[0] : RecordJson.CODEC.asBytes(event.getDetail());
        } catch (IOException unwritable) {
            throw new UncheckedIOException("The EventBridge event's detail, read as JSON by the runtime, could not be"
                    + " written back as JSON; this is a fault of the function, report it.", unwritable);
        }
    }

    private static <T> List<T> records(List<T> records) {
        return records == null ? List.of() : records;
    }

    // A missing body is an empty payload, which TriggerPayload rejects with the sentence that says what it expects.
    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
