package xrayasync.triggered;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * What TriggeringFunction sends: who called, under which trace, and when.
 *
 * @param callerTraceHeader the trace header the caller ran under, or null when it ran without one
 */
record TriggerPayload(
        int schemaVersion,
        String callerRequestId,
        String callerFunctionName,
        String callerTraceHeader,
        Instant sentAt,
        int bucketCount) {

    static final int SCHEMA_VERSION = 1;
    private static final int QUOTED_VALUE_LIMIT = 80;
    // Stands for an empty payload, which is no JSON value at all, so that it is told apart from a JSON null.
    private static final Object NOTHING = new Object();

    /** The caller's X-Ray trace id (the header's Root), or null when the caller ran without a trace header. */
    String callerTraceId() {
        return callerTraceHeader == null ? null : LambdaTraceHeader.parse(callerTraceHeader).traceId();
    }

    // Fields this version does not know are ignored: a sender may add fields without a new schema version.
    static TriggerPayload parse(byte[] event) throws IOException {
        Object payload;
        try {
            payload = RecordJson.isEmpty(event) ? NOTHING : RecordJson.CODEC.anyFrom(event);
        } catch (JacksonException notJson) {
            throw new InvalidPayloadException("The payload is not valid JSON (" + notJson.getOriginalMessage()
                    + "). TriggeredFunction expects the object TriggeringFunction sends;"
                    + " see events/triggered-event.json.", notJson);
        }
        if (!(payload instanceof Map<?, ?> fields)) {
            throw new InvalidPayloadException("The payload must be a JSON object, got " + typeOf(payload)
                    + ". TriggeredFunction expects the object TriggeringFunction sends; see events/triggered-event.json.");
        }
        int schemaVersion = count(fields, "schemaVersion");
        if (schemaVersion != SCHEMA_VERSION) {
            throw new InvalidPayloadException("Field 'schemaVersion' is " + schemaVersion
                    + (schemaVersion > SCHEMA_VERSION
                            ? ", newer than the version " + SCHEMA_VERSION + " this TriggeredFunction understands:"
                                    + " deploy TriggeredFunction together with TriggeringFunction."
                            : ", but only version " + SCHEMA_VERSION + " exists."));
        }
        return new TriggerPayload(
                schemaVersion,
                text(fields, "callerRequestId"),
                text(fields, "callerFunctionName"),
                traceHeader(fields, "callerTraceHeader"),
                instant(fields, "sentAt"),
                count(fields, "bucketCount"));
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case null -> "null";
            case List<?> array -> "array";
            case String string -> "string";
            case Number number -> "number";
            case Boolean bool -> "boolean";
            default -> value == NOTHING ? "nothing" : value.getClass().getSimpleName();
        };
    }

    private static Object required(Map<?, ?> payload, String field) {
        if (!payload.containsKey(field)) {
            throw new InvalidPayloadException("Field '" + field + "' is missing from the payload.");
        }
        return payload.get(field);
    }

    private static String text(Map<?, ?> payload, String field) {
        if (required(payload, field) instanceof String text && !text.isBlank()) {
            return text;
        }
        throw wrongType(field, "a non-empty string", payload.get(field));
    }

    private static int count(Map<?, ?> payload, String field) {
        if (required(payload, field) instanceof Integer count && count >= 0) {
            return count;
        }
        throw wrongType(field, "a whole number from 0", payload.get(field));
    }

    private static Instant instant(Map<?, ?> payload, String field) {
        String value = text(payload, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            throw wrongType(field, "an ISO-8601 UTC time such as 2026-11-24T10:15:30.123Z", value);
        }
    }

    private static String traceHeader(Map<?, ?> payload, String field) {
        Object value = required(payload, field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String header) || LambdaTraceHeader.parse(header).traceId() == null) {
            throw wrongType(field, "null or an X-Ray trace header such as Root=1-5759e988-bd862e3fe1be46a994272793;"
                    + "Parent=53995c3f42cd8ad8;Sampled=1", value);
        }
        return header;
    }

    // Quotes only a bounded prefix of the value: the payload as a whole is never written to an error or a log.
    private static InvalidPayloadException wrongType(String field, String expected, Object value) {
        String shown = RecordJson.text(value);
        if (shown.length() > QUOTED_VALUE_LIMIT) {
            shown = shown.substring(0, QUOTED_VALUE_LIMIT) + "… (" + shown.length() + " characters)";
        }
        return new InvalidPayloadException("Field '" + field + "' must be " + expected + ", got " + shown + ".");
    }
}
