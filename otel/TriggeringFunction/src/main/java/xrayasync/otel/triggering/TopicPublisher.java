package xrayasync.otel.triggering;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Hands the payload to TriggeredFunction through its SNS topic with Publish, the message being the payload's JSON. */
final class TopicPublisher implements AsyncHandOff {

    /** SNS's limit for a published message (SNS API reference, Publish: Message up to 256 KB, 262,144 bytes). */
    static final int MESSAGE_LIMIT = 256 * 1024;

    private final SnsClient sns;
    private final String target;

    TopicPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.target = topicArn;
    }

    @Override
    public AsyncHop hop() {
        return AsyncHop.SNS;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public Answer send(byte[] payload) {
        if (payload.length > MESSAGE_LIMIT) {
            throw new IllegalArgumentException("The payload for " + target + " is " + payload.length
                    + " bytes, over SNS's " + MESSAGE_LIMIT + "-byte message limit, so it was not published. Send a"
                    + " reference to the data (an S3 key, for instance) instead.");
        }
        PublishResponse response;
        try {
            response = sns.publish(request -> request
                    .topicArn(target)
                    .message(new String(payload, StandardCharsets.UTF_8)));
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("SNS Publish to " + target, failure, remedy(failure));
        }
        return new Answer(response.sdkHttpResponse().statusCode(), response.messageId());
    }

    private String remedy(SdkException failure) {
        if (failure instanceof NotFoundException
                || failure instanceof SnsException missing && missing.statusCode() == 404) {
            return AsyncHop.SNS.destinationVariable() + " is '" + target + "', which names no topic in this region;"
                    + " set it to the stack's " + AsyncHop.SNS.stackOutput() + " output.";
        }
        if (!(failure instanceof SnsException service)) {
            return "check that the SNS endpoint is reachable from the function, then invoke again.";
        }
        return switch (service.statusCode()) {
            case 403 -> "the execution role needs sns:Publish on " + target + "; template.yaml grants it on the"
                    + " hop's topic when AsyncHop is SNS.";
            default -> service.statusCode() >= 500
                    ? "SNS failed on its side after the SDK's retries; the message was not published, invoke again."
                    : "the message was not published; invoke again.";
        };
    }
}
