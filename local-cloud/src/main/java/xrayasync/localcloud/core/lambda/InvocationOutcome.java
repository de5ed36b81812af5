package xrayasync.localcloud.lambda;

import java.nio.charset.StandardCharsets;

/**
 * How one invocation ended, as the Runtime API and the environment saw it.
 *
 * @param payload the response, or the error document for a failure
 * @param errorType Lambda's error type for a failure (Unhandled function error, timeout, runtime exit), or null
 * @param xrayCause the X-Ray error cause the runtime sent with an error, or null
 */
public record InvocationOutcome(Kind kind, byte[] payload, String errorType, String xrayCause) {

    /** The ways an invocation ends. */
    public enum Kind {
        SUCCESS, FUNCTION_ERROR, INIT_ERROR, TIMEOUT, RUNTIME_EXIT;

        /** Whether the execution environment is gone after an invocation that ended this way. */
        boolean endsEnvironment() {
            return this == INIT_ERROR || this == TIMEOUT || this == RUNTIME_EXIT;
        }
    }

    static InvocationOutcome success(byte[] payload) {
        return new InvocationOutcome(Kind.SUCCESS, payload, null, null);
    }

    static InvocationOutcome failure(Kind kind, String errorType, String message) {
        String document = "{\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"errorType\":\"" + errorType + "\"}";
        return new InvocationOutcome(kind, document.getBytes(StandardCharsets.UTF_8), errorType, null);
    }

    public boolean failed() {
        return kind != Kind.SUCCESS;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
