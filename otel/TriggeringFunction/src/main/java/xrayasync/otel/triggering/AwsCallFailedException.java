package xrayasync.otel.triggering;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** An AWS call that failed after the SDK's retries, with what went wrong and what to do about it. */
public final class AwsCallFailedException extends RuntimeException {

    private AwsCallFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    static AwsCallFailedException of(String call, SdkException failure, String remedy) {
        StringBuilder message = new StringBuilder(call).append(" failed");
        if (failure instanceof AwsServiceException service) {
            message.append(" with HTTP ").append(service.statusCode());
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                message.append(' ').append(service.awsErrorDetails().errorCode());
            }
        }
        if (failure.numAttempts() != null) {
            message.append(" after ").append(failure.numAttempts())
                    .append(failure.numAttempts() == 1 ? " attempt" : " attempts");
        }
        message.append(": ").append(failure.getMessage());
        if (remedy != null) {
            message.append(" What to do: ").append(remedy);
        }
        return new AwsCallFailedException(message.toString(), failure);
    }
}
