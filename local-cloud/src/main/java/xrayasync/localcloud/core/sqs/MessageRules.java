package xrayasync.localcloud.core.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;

/**
 * What SQS accepts of a message and of a receive, checked as the SendMessage and ReceiveMessage references state
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
 */
final class MessageRules {

    private static final Bounds DELAY = new Bounds("DelaySeconds", 0, 900);
    private static final Bounds MAXIMUM_MESSAGES = new Bounds("MaxNumberOfMessages", 1, 10);
    private static final Bounds VISIBILITY = new Bounds("VisibilityTimeout", 0, 43_200);
    private static final Bounds WAIT = new Bounds("WaitTimeSeconds", 0, 20);
    private static final int MAXIMUM_ATTRIBUTES = 10;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    // XML 1.0's characters, the ones a message may hold: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | above.
    private static final Pattern INVALID_CHARACTER = Pattern.compile("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD"
            + "\\x{10000}-\\x{10FFFF}]");

    private MessageRules() {
    }

    static void checkOutgoing(SqsService.Outgoing outgoing, int maximumSize) {
        if (outgoing.body() == null || outgoing.body().isEmpty()) {
            throw SqsError.MISSING_PARAMETER.with("The request must contain the parameter MessageBody.");
        }
        if (INVALID_CHARACTER.matcher(outgoing.body()).find()) {
            throw SqsError.INVALID_MESSAGE_CONTENTS.with("Invalid binary character in the message body: a message"
                    + " holds XML's characters only, so encode binary data (base64, say).");
        }
        if (outgoing.delaySeconds() != null) {
            DELAY.check(outgoing.delaySeconds());
        }
        long size = outgoing.body().getBytes(StandardCharsets.UTF_8).length + checkAttributes(outgoing.attributes());
        if (size > maximumSize) {
            throw SqsError.INVALID_PARAMETER_VALUE.with("One or more parameters are invalid: the message and its"
                    + " attributes are " + size + " bytes, and the queue's MaximumMessageSize is " + maximumSize
                    + "; send less, or raise the queue's MaximumMessageSize.");
        }
        if (outgoing.systemAttributes() != null) {
            outgoing.systemAttributes().forEach((name, value) -> {
                boolean settable = MessageSystemAttributeNameForSends.fromValue(name)
                        != MessageSystemAttributeNameForSends.UNKNOWN_TO_SDK_VERSION;
                if (!settable || !"String".equals(value.dataType())) {
                    throw SqsError.INVALID_PARAMETER_VALUE.with("Message system attribute " + name + " is not one a"
                            + " sender may set: send " + MessageSystemAttributeNameForSends.AWS_TRACE_HEADER
                            + " (of type String) only.");
                }
            });
        }
    }

    /** Checks the message attributes and returns the bytes they count towards the message's size. */
    private static long checkAttributes(Map<String, SqsService.AttributeValue> attributes) {
        if (attributes == null) {
            return 0;
        }
        if (attributes.size() > MAXIMUM_ATTRIBUTES) {
            throw SqsError.INVALID_PARAMETER_VALUE.with("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAXIMUM_ATTRIBUTES + "]: send fewer.");
        }
        long size = 0;
        for (Map.Entry<String, SqsService.AttributeValue> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            SqsService.AttributeValue value = attribute.getValue();
            if (!ATTRIBUTE_NAME.matcher(name).matches() || name.toLowerCase(Locale.ROOT).startsWith("aws.")
                    || name.toLowerCase(Locale.ROOT).startsWith("amazon.")) {
                throw SqsError.INVALID_PARAMETER_VALUE.with("Message attribute name '" + name + "' is invalid: use up"
                        + " to 256 letters, digits, '_', '-' and '.', not beginning with AWS. or Amazon.");
            }
            String type = value.dataType() == null ? "" : value.dataType();
            boolean known = type.startsWith("String") || type.startsWith("Number") || type.startsWith("Binary");
            boolean hasValue = known && (value.isBinary()
                    ? value.binaryValue() != null && value.binaryValue().length > 0
                    : value.stringValue() != null && !value.stringValue().isEmpty());
            if (!hasValue) {
                throw SqsError.INVALID_PARAMETER_VALUE.with("Message attribute '" + name + "' must have a DataType of"
                        + " String, Number or Binary (optionally with a custom suffix) and a non-empty value of that"
                        + " type.");
            }
            size += name.getBytes(StandardCharsets.UTF_8).length + type.getBytes(StandardCharsets.UTF_8).length
                    + (value.isBinary() ? value.binaryValue().length
                            : value.stringValue().getBytes(StandardCharsets.UTF_8).length);
        }
        return size;
    }

    static void checkMaximum(int maximum) {
        MAXIMUM_MESSAGES.check(maximum);
    }

    static int visibilityTimeout(int seconds) {
        return VISIBILITY.check(seconds);
    }

    static int waitTime(int seconds) {
        return WAIT.check(seconds);
    }
}
