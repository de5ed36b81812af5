package xrayasync.triggered;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * Each hop's event read into aws-lambda-java-events' types with jackson-jr, and the SQS batch answer written back, for
 * the stream overloads Lambda calls: the runtime client prefers an (InputStream, OutputStream, Context) overload of the
 * handler's method (EventHandlerLoader's methodPriority), so its own serializer, whose shaded Jackson databind and
 * mixins added about 370 ms and 10 MB to TriggeredFunction's cold start, is never loaded (docs/performance.md).
 * The field names are those of the events Lambda delivers (Lambda developer guide, the SQS, SNS and EventBridge
 * sample events).
 */
final class HopEvents {

    private HopEvents() {
    }

    static SQSEvent sqsEvent(InputStream input) throws IOException {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (Map<String, Object> record : records(read(input, "an SQS event"), "Records", "an SQS event")) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(text(record, "messageId"));
            message.setReceiptHandle(text(record, "receiptHandle"));
            message.setBody(text(record, "body"));
            message.setMd5OfBody(text(record, "md5OfBody"));
            message.setMd5OfMessageAttributes(text(record, "md5OfMessageAttributes"));
            message.setEventSource(text(record, "eventSource"));
            message.setEventSourceArn(text(record, "eventSourceARN"));
            message.setAwsRegion(text(record, "awsRegion"));
            Map<String, String> attributes = new LinkedHashMap<>();
            object(record, "attributes").forEach((name, value) -> attributes.put(name, String.valueOf(value)));
            message.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
            object(record, "messageAttributes").forEach((name, value) -> messageAttributes.put(name,
                    sqsAttribute(asObject(value))));
            message.setMessageAttributes(messageAttributes);
            messages.add(message);
        }
        event.setRecords(messages);
        return event;
    }

    private static SQSEvent.MessageAttribute sqsAttribute(Map<String, Object> declared) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(text(declared, "dataType"));
        attribute.setStringValue(text(declared, "stringValue"));
        String binary = text(declared, "binaryValue");
        attribute.setBinaryValue(binary == null ? null : ByteBuffer.wrap(Base64.getDecoder().decode(binary)));
        List<String> strings = new ArrayList<>();
        list(declared, "stringListValues").forEach(value -> strings.add(String.valueOf(value)));
        attribute.setStringListValues(strings);
        List<ByteBuffer> binaries = new ArrayList<>();
        list(declared, "binaryListValues").forEach(value -> binaries.add(ByteBuffer.wrap(Base64.getDecoder()
                .decode(String.valueOf(value)))));
        attribute.setBinaryListValues(binaries);
        return attribute;
    }

    static SNSEvent snsEvent(InputStream input) throws IOException {
        SNSEvent event = new SNSEvent();
        List<SNSEvent.SNSRecord> records = new ArrayList<>();
        for (Map<String, Object> declared : records(read(input, "an SNS event"), "Records", "an SNS event")) {
            SNSEvent.SNSRecord record = new SNSEvent.SNSRecord();
            record.setEventSource(text(declared, "EventSource"));
            record.setEventVersion(text(declared, "EventVersion"));
            record.setEventSubscriptionArn(text(declared, "EventSubscriptionArn"));
            Map<String, Object> notification = object(declared, "Sns");
            SNSEvent.SNS sns = new SNSEvent.SNS();
            sns.setType(text(notification, "Type"));
            sns.setMessageId(text(notification, "MessageId"));
            sns.setTopicArn(text(notification, "TopicArn"));
            sns.setSubject(text(notification, "Subject"));
            sns.setMessage(text(notification, "Message"));
            sns.setTimestamp(time(text(notification, "Timestamp")));
            sns.setSignatureVersion(text(notification, "SignatureVersion"));
            sns.setSignature(text(notification, "Signature"));
            sns.setSigningCertUrl(text(notification, "SigningCertUrl"));
            sns.setUnsubscribeUrl(text(notification, "UnsubscribeUrl"));
            Map<String, SNSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
            object(notification, "MessageAttributes").forEach((name, value) -> {
                SNSEvent.MessageAttribute attribute = new SNSEvent.MessageAttribute();
                attribute.setType(text(asObject(value), "Type"));
                attribute.setValue(text(asObject(value), "Value"));
                attributes.put(name, attribute);
            });
            sns.setMessageAttributes(attributes);
            record.setSns(sns);
            records.add(record);
        }
        event.setRecords(records);
        return event;
    }

    static ScheduledEvent scheduledEvent(InputStream input) throws IOException {
        Map<String, Object> declared = read(input, "an EventBridge event");
        ScheduledEvent event = new ScheduledEvent();
        event.setVersion(text(declared, "version"));
        event.setId(text(declared, "id"));
        event.setDetailType(text(declared, "detail-type"));
        event.setSource(text(declared, "source"));
        event.setAccount(text(declared, "account"));
        event.setTime(time(text(declared, "time")));
        event.setRegion(text(declared, "region"));
        List<String> resources = new ArrayList<>();
        list(declared, "resources").forEach(resource -> resources.add(String.valueOf(resource)));
        event.setResources(resources);
        event.setDetail(declared.get("detail") == null ? null : object(declared, "detail"));
        return event;
    }

    /** The batch answer as Lambda reads it: {@code {"batchItemFailures": [{"itemIdentifier": …}]}}. */
    static void write(SQSBatchResponse response, OutputStream output) throws IOException {
        List<Map<String, Object>> failures = new ArrayList<>();
        response.getBatchItemFailures().forEach(failure -> failures.add(Map.of("itemIdentifier",
                failure.getItemIdentifier())));
        output.write(RecordJson.CODEC.asBytes(Map.of("batchItemFailures", failures)));
    }

    private static Map<String, Object> read(InputStream input, String expected) throws IOException {
        byte[] bytes = input.readAllBytes();
        Object value;
        try {
            value = RecordJson.CODEC.anyFrom(bytes);
        } catch (IOException notJson) {
            throw new InvalidPayloadException("The event is not JSON (" + notJson.getMessage() + "): this handler"
                    + " method takes " + expected + "; see the sample events under events/.");
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidPayloadException("The event is " + RecordJson.text(value) + ", not " + expected
                    + ": see the sample events under events/.");
        }
        return asObject(value);
    }

    private static List<Map<String, Object>> records(Map<String, Object> event, String field, String expected) {
        if (!(event.get(field) instanceof List<?> records)) {
            throw new InvalidPayloadException("The event has no " + field + " list, so it is not " + expected
                    + ": see the sample events under events/.");
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        records.forEach(record -> objects.add(asObject(record)));
        return objects;
    }

    // ISO-8601, as the events carry their times; Joda because aws-lambda-java-events' types take it.
    private static DateTime time(String text) {
        return text == null ? null : DateTime.parse(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, Object> object(Map<String, Object> parent, String field) {
        return asObject(parent.get(field));
    }

    private static List<?> list(Map<String, Object> parent, String field) {
        return parent.get(field) instanceof List<?> values ? values : List.of();
    }

    private static String text(Map<String, Object> parent, String field) {
        Object value = parent.get(field);
        return value == null ? null : String.valueOf(value);
    }
}
