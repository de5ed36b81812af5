package xrayasync.otel.triggered;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** A payload TriggeredFunction cannot act on; the message names the field and what it should be. */
public final class InvalidPayloadException extends IllegalArgumentException {

    InvalidPayloadException(String message) {
        super(message);
    }

    InvalidPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
