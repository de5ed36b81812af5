package xrayasync.localcloud.core.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The attributes a client sets on a standard queue, checked as SQS checks them, and their defaults
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 */
final class QueueSettings {

    static final String DELAY_SECONDS = QueueAttributeName.DELAY_SECONDS.toString();
    static final String MAXIMUM_MESSAGE_SIZE = QueueAttributeName.MAXIMUM_MESSAGE_SIZE.toString();
    static final String MESSAGE_RETENTION_PERIOD = QueueAttributeName.MESSAGE_RETENTION_PERIOD.toString();
    static final String RECEIVE_MESSAGE_WAIT_TIME_SECONDS =
            QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS.toString();
    static final String VISIBILITY_TIMEOUT = QueueAttributeName.VISIBILITY_TIMEOUT.toString();
    static final String REDRIVE_POLICY = QueueAttributeName.REDRIVE_POLICY.toString();
    static final String SQS_MANAGED_SSE_ENABLED = QueueAttributeName.SQS_MANAGED_SSE_ENABLED.toString();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, Bounds> NUMBERS = Map.of(
            DELAY_SECONDS, new Bounds(DELAY_SECONDS, 0, 900),
            MAXIMUM_MESSAGE_SIZE, new Bounds(MAXIMUM_MESSAGE_SIZE, 1024, 1_048_576),
            MESSAGE_RETENTION_PERIOD, new Bounds(MESSAGE_RETENTION_PERIOD, 60, 1_209_600),
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS, new Bounds(RECEIVE_MESSAGE_WAIT_TIME_SECONDS, 0, 20),
            VISIBILITY_TIMEOUT, new Bounds(VISIBILITY_TIMEOUT, 0, 43_200),
            QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS.toString(),
            new Bounds(QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS.toString(), 60, 86_400));

    private static final Set<String> TEXTS = Set.of(QueueAttributeName.POLICY.toString(), REDRIVE_POLICY,
            QueueAttributeName.REDRIVE_ALLOW_POLICY.toString(), QueueAttributeName.KMS_MASTER_KEY_ID.toString());

    private static final Set<String> FIFO = Set.of(QueueAttributeName.FIFO_QUEUE.toString(),
            QueueAttributeName.CONTENT_BASED_DEDUPLICATION.toString(),
            QueueAttributeName.DEDUPLICATION_SCOPE.toString(), QueueAttributeName.FIFO_THROUGHPUT_LIMIT.toString());

    // What GetQueueAttributes reports for a queue created without them; SSE-SQS is on by default since 2022.
    private static final Map<String, String> DEFAULTS = defaults();

    private QueueSettings() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(VISIBILITY_TIMEOUT, "30");
        defaults.put(MAXIMUM_MESSAGE_SIZE, "1048576");
        defaults.put(MESSAGE_RETENTION_PERIOD, "345600");
        defaults.put(DELAY_SECONDS, "0");
        defaults.put(RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "0");
        defaults.put(SQS_MANAGED_SSE_ENABLED, "true");
        return defaults;
    }

    /** The attributes given, checked and in their canonical form; an empty value clears a policy. */
    static Map<String, String> validated(Map<String, String> attributes) {
        Map<String, String> valid = new LinkedHashMap<>();
        if (attributes == null) {
            return valid;
        }
        attributes.forEach((name, value) -> {
            if (NUMBERS.containsKey(name)) {
                valid.put(name, Long.toString(NUMBERS.get(name).check(value, SqsError.INVALID_ATTRIBUTE_VALUE)));
            } else if (name.equals(SQS_MANAGED_SSE_ENABLED)) {
                valid.put(name, bool(name, value));
            } else if (name.equals(REDRIVE_POLICY)) {
                valid.put(name, value.isEmpty() ? value : redrivePolicy(value).toString());
            } else if (TEXTS.contains(name)) {
                valid.put(name, value);
            } else if (FIFO.contains(name)) {
                throw SqsError.UNSUPPORTED_OPERATION.with("The local cloud emulates standard queues, not FIFO queues:"
                        + " create the queue without " + name + ", or use SQS in AWS for a FIFO queue.");
            } else {
                throw SqsError.INVALID_ATTRIBUTE_NAME.with("Unknown Attribute " + name + ": a queue's attributes are "
                        + List.copyOf(settable()) + ".");
            }
        });
        return valid;
    }

    private static Set<String> settable() {
        Set<String> names = new TreeSet<>(NUMBERS.keySet());
        names.addAll(TEXTS);
        names.add(SQS_MANAGED_SSE_ENABLED);
        return names;
    }

    private static String bool(String name, String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw SqsError.INVALID_ATTRIBUTE_VALUE.with("Value " + value + " for parameter " + name + " is invalid:"
                    + " give true or false.");
        }
        return lower;
    }

    /** The settings with the defaults of those not set. */
    static Map<String, String> effective(Map<String, String> settings) {
        Map<String, String> effective = new LinkedHashMap<>(DEFAULTS);
        effective.putAll(settings);
        return effective;
    }

    /** A redrive policy, checked: the dead-letter queue's ARN and a maxReceiveCount from 1 to 1000. */
    static JsonNode redrivePolicy(String policy) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(policy);
        } catch (IOException notJson) {
            parsed = null;
        }
        if (parsed == null || !parsed.path("deadLetterTargetArn").isTextual()
                || !parsed.hasNonNull("maxReceiveCount")) {
            throw SqsError.INVALID_PARAMETER_VALUE.with("Value " + policy + " for parameter RedrivePolicy is invalid:"
                    + " give a JSON object with deadLetterTargetArn and maxReceiveCount.");
        }
        new Bounds("RedrivePolicy.maxReceiveCount", 1, 1000).check(parsed.get("maxReceiveCount").asText(),
                SqsError.INVALID_PARAMETER_VALUE);
        return parsed;
    }
}
