package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one invocation ended, as the Runtime API and the environment saw it.
 *
 * @param payload the response, or the error document for a failure
 * @param errorType Lambda's error type for a failure (Unhandled function error, timeout, runtime exit), or null
 * @param xrayCause the X-Ray error cause the runtime sent with an error, or null
 */
public record InvocationOutcome(Kind kind, byte[] payload, String errorType, String xrayCause) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ways an invocation ends. */
    public enum Kind {
        SUCCESS, FUNCTION_ERROR, INIT_ERROR, TIMEOUT, RUNTIME_EXIT,
        /** Lambda itself could not run the function (no execution environment could start). */
        SERVICE_ERROR;

        /** Whether the execution environment is gone after an invocation that ended this way. */
        boolean endsEnvironment() {
            return this == INIT_ERROR || this == TIMEOUT || this == RUNTIME_EXIT;
        }
    }

    static InvocationOutcome success(byte[] payload) {
        return new InvocationOutcome(Kind.SUCCESS, payload, null, null);
    }

    /** A failure with Lambda's error document, {@code {"errorMessage": …, "errorType": …}}. */
    static InvocationOutcome failure(Kind kind, String errorType, String message) {
        Map<String, String> document = new LinkedHashMap<>();
        document.put("errorMessage", message);
        document.put("errorType", errorType);
        try {
            return new InvocationOutcome(kind, JSON.writeValueAsBytes(document), errorType, null);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    public boolean failed() {
        return kind != Kind.SUCCESS;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
