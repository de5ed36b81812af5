package xrayasync.otel.triggering;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.LambdaException;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Hands an event to TriggeredFunction with Invoke and InvocationType=Event, the call that keeps the trace. */
final class AsyncInvoker implements AsyncHandOff {

    static final int ACCEPTED = 202;
    /** Lambda's limit for an asynchronous invocation's payload (1 MB since October 2025; 256 KB before). */
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

    private final LambdaClient lambda;
    private final String target;

    AsyncInvoker(LambdaClient lambda, String target) {
        this.lambda = lambda;
        this.target = target;
    }

    @Override
    public AsyncHop hop() {
        return AsyncHop.LAMBDA_EVENT;
    }

    @Override
    public String target() {
        return target;
    }

    /** Queues the payload for TriggeredFunction and returns the 202 that says Lambda accepted it. */
    @Override
    public Answer send(byte[] payload) {
        if (payload.length > ASYNC_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("The payload for " + target + " is " + payload.length
                    + " bytes, over Lambda's " + ASYNC_PAYLOAD_LIMIT + "-byte limit for asynchronous invocations,"
                    + " so it was not sent. Send a reference to the data (an S3 key, for instance) instead.");
        }
        int status;
        try {
            status = lambda.invoke(InvokeRequest.builder()
                    .functionName(target)
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArrayUnsafe(payload))
                    .build()).statusCode();
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("Lambda Invoke of " + target, failure, remedy(failure));
        }
        if (status != ACCEPTED) {
            throw new IllegalStateException("Lambda Invoke of " + target + " answered HTTP " + status
                    + " instead of 202 Accepted, so the event may not be queued; invoke again.");
        }
        // Lambda gives an Event invoke no id of its own: the 202 is its whole answer.
        return new Answer(status, null);
    }

    private String remedy(SdkException failure) {
        if (!(failure instanceof LambdaException service)) {
            return "check that the Lambda endpoint is reachable from the function, then invoke again.";
        }
        return switch (service.statusCode()) {
            case 404 -> "TRIGGERED_FUNCTION_NAME is '" + target + "', which names no function, version or alias"
                    + " in this region; set it to the stack's TriggeredFunctionAliasArn output.";
            case 403 -> "the execution role needs lambda:InvokeFunction on " + target
                    + "; template.yaml grants it on TriggeredFunction's alias only.";
            case 429 -> "Lambda throttled the call; raise the account's concurrency quota or invoke again later."
                    + " The event was not queued.";
            case 413 -> "the payload is over Lambda's limit for asynchronous invocations; send a reference to the"
                    + " data (an S3 key, for instance) instead. The event was not queued.";
            default -> service.statusCode() >= 500
                    ? "Lambda failed on its side after the SDK's retries; the event was not queued, invoke again."
                    : "the event was not queued; invoke again.";
        };
    }
}
