package xrayasync.otel.triggered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Which payloads TriggeredFunction accepts, and what it says about the ones it rejects. */
class TriggerPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CALLER_TRACE_HEADER = "Root=1-6743a1b2-0123456789abcdef01234567;Parent=0345c7480ff6448b;Sampled=1";

    static ObjectNode validPayload() {
        return JSON.createObjectNode()
                .put("schemaVersion", 1)
                .put("callerRequestId", "c0ffee00-1111-2222-3333-444455556666")
                .put("callerFunctionName", "xray-async-TriggeringFunction-Zz98Yy76")
                .put("callerTraceHeader", CALLER_TRACE_HEADER)
                .put("sentAt", "2026-11-24T10:15:30.123Z")
                .put("bucketCount", 2);
    }

    private static TriggerPayload parse(String payload) throws IOException {
        return TriggerPayload.parse(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String rejection(String payload) {
        return assertThrows(InvalidPayloadException.class, () -> parse(payload)).getMessage();
    }

    @Test
    void acceptsWhatTriggeringFunctionSends() throws IOException {
        TriggerPayload payload = parse(validPayload().toString());

        assertEquals(new TriggerPayload(1, "c0ffee00-1111-2222-3333-444455556666",
                "xray-async-TriggeringFunction-Zz98Yy76", CALLER_TRACE_HEADER,
                Instant.parse("2026-11-24T10:15:30.123Z"), 2), payload);
        assertEquals("1-6743a1b2-0123456789abcdef01234567", payload.callerTraceId());
    }

    @Test
    void acceptsACallerThatRanWithoutTraceHeader() throws IOException {
        TriggerPayload payload = parse(validPayload().putNull("callerTraceHeader").toString());

        assertNull(payload.callerTraceHeader());
        assertNull(payload.callerTraceId());
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws IOException {
        assertEquals(parse(validPayload().toString()), parse(validPayload().put("addedLater", true).toString()));
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"schemaVersion", "callerRequestId", "callerFunctionName", "callerTraceHeader", "sentAt", "bucketCount"})
    void rejectsAPayloadMissingARequiredField(String field) {
        ObjectNode payload = validPayload();
        payload.remove(field);

        assertEquals("Field '" + field + "' is missing from the payload.", rejection(payload.toString()));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "callerRequestId    | 42                   | Field 'callerRequestId' must be a non-empty string, got 42.",
        "callerRequestId    | '\"\"'               | Field 'callerRequestId' must be a non-empty string, got \"\".",
        "callerFunctionName | null                 | Field 'callerFunctionName' must be a non-empty string, got null.",
        "sentAt             | '\"yesterday\"'      | Field 'sentAt' must be an ISO-8601 UTC time such as 2026-11-24T10:15:30.123Z, got \"yesterday\".",
        "bucketCount        | '\"2\"'              | Field 'bucketCount' must be a whole number from 0, got \"2\".",
        "bucketCount        | -1                   | Field 'bucketCount' must be a whole number from 0, got -1.",
        "schemaVersion      | 1.5                  | Field 'schemaVersion' must be a whole number from 0, got 1.5.",
        "callerTraceHeader  | '\"Sampled=1\"'      | Field 'callerTraceHeader' must be null or an X-Ray trace header",
    })
    void rejectsAMistypedFieldNamingIt(String field, String json, String message) throws IOException {
        ObjectNode payload = validPayload();
        payload.set(field, JSON.readTree(json));

        String rejection = rejection(payload.toString());
        assertTrue(rejection.startsWith(message), rejection);
    }

    @Test
    void rejectsANewerSchemaVersionSayingWhatToDeploy() {
        assertEquals("Field 'schemaVersion' is 2, newer than the version 1 this TriggeredFunction understands:"
                        + " deploy TriggeredFunction together with TriggeringFunction.",
                rejection(validPayload().put("schemaVersion", 2).toString()));
    }

    @Test
    void rejectsAnUnknownOlderSchemaVersion() {
        assertEquals("Field 'schemaVersion' is 0, but only version 1 exists.",
                rejection(validPayload().put("schemaVersion", 0).toString()));
    }

    @ParameterizedTest(name = "payload [{0}]")
    @CsvSource(delimiter = '|', value = {
        "[1,2]  | The payload must be a JSON object, got array.",
        "'\"x\"'| The payload must be a JSON object, got string.",
        "null   | The payload must be a JSON object, got null.",
        "''     | The payload must be a JSON object, got nothing.",
    })
    void rejectsAnythingButAnObject(String payload, String message) {
        assertTrue(rejection(payload).startsWith(message), rejection(payload));
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertTrue(rejection("{\"schemaVersion\": 1,").startsWith("The payload is not valid JSON"));
    }

    @Test
    void quotesOnlyTheStartOfAHugeValue() {
        String huge = "x".repeat(300_000);

        String rejection = rejection(validPayload().put("sentAt", huge).toString());
        assertTrue(rejection.length() < 300, rejection);
        assertTrue(rejection.contains("(300002 characters)"), rejection);
    }
}
