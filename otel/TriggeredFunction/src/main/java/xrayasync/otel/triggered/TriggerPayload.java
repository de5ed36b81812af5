package xrayasync.otel.triggered;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

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
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The caller's X-Ray trace id (the header's Root), or null when the caller ran without a trace header. */
    String callerTraceId() {
        return callerTraceHeader == null ? null : LambdaTraceHeader.parse(callerTraceHeader).traceId();
    }

    // Fields this version does not know are ignored: a sender may add fields without a new schema version.
    static TriggerPayload parse(byte[] event) throws IOException {
        JsonNode payload;
        try {
            payload = JSON.readTree(event);
        } catch (JacksonException notJson) {
            throw new InvalidPayloadException("The payload is not valid JSON (" + notJson.getOriginalMessage()
                    + "). TriggeredFunction expects the object TriggeringFunction sends;"
                    + " see events/triggered-event.json.", notJson);
        }
        if (payload == null || !payload.isObject()) {
            throw new InvalidPayloadException("The payload must be a JSON object, got "
                    + (payload == null || payload.isMissingNode()
                            ? "nothing" : payload.getNodeType().name().toLowerCase(Locale.ROOT))
                    + ". TriggeredFunction expects the object TriggeringFunction sends; see events/triggered-event.json.");
        }
        int schemaVersion = count(payload, "schemaVersion");
        if (schemaVersion != SCHEMA_VERSION) {
            throw new InvalidPayloadException("Field 'schemaVersion' is " + schemaVersion
                    + (schemaVersion > SCHEMA_VERSION
                            ? ", newer than the version " + SCHEMA_VERSION + " this TriggeredFunction understands:"
                                    + " deploy TriggeredFunction together with TriggeringFunction."
                            : ", but only version " + SCHEMA_VERSION + " exists."));
        }
        return new TriggerPayload(
                schemaVersion,
                text(payload, "callerRequestId"),
                text(payload, "callerFunctionName"),
                traceHeader(payload, "callerTraceHeader"),
                instant(payload, "sentAt"),
                count(payload, "bucketCount"));
    }

    private static JsonNode required(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null) {
            throw new InvalidPayloadException("Field '" + field + "' is missing from the payload.");
        }
        return value;
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = required(payload, field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw wrongType(field, "a non-empty string", value);
        }
        return value.asText();
    }

    private static int count(JsonNode payload, String field) {
        JsonNode value = required(payload, field);
        if (!value.isInt() || value.asInt() < 0) {
            throw wrongType(field, "a whole number from 0", value);
        }
        return value.asInt();
    }

    private static Instant instant(JsonNode payload, String field) {
        String value = text(payload, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            throw wrongType(field, "an ISO-8601 UTC time such as 2026-11-24T10:15:30.123Z", payload.get(field));
        }
    }

    private static String traceHeader(JsonNode payload, String field) {
        JsonNode value = required(payload, field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || LambdaTraceHeader.parse(value.asText()).traceId() == null) {
            throw wrongType(field, "null or an X-Ray trace header such as Root=1-5759e988-bd862e3fe1be46a994272793;"
                    + "Parent=53995c3f42cd8ad8;Sampled=1", value);
        }
        return value.asText();
    }

    // Quotes only a bounded prefix of the value: the payload as a whole is never written to an error or a log.
    private static InvalidPayloadException wrongType(String field, String expected, JsonNode value) {
        String shown = value.toString();
        if (shown.length() > QUOTED_VALUE_LIMIT) {
            shown = shown.substring(0, QUOTED_VALUE_LIMIT) + "… (" + shown.length() + " characters)";
        }
        return new InvalidPayloadException("Field '" + field + "' must be " + expected + ", got " + shown + ".");
    }
}
