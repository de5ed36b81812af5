package xrayasync.otel.triggering;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Hands the payload to TriggeredFunction through its SQS queue with SendMessage, the body being the payload's JSON. */
final class QueueSender implements AsyncHandOff {

    /** SQS's limit for a message (SQS API reference, SendMessage: MessageBody up to 1 MiB, 1,048,576 bytes). */
    static final int MESSAGE_LIMIT = 1024 * 1024;

    private final SqsClient sqs;
    private final String target;

    QueueSender(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.target = queueUrl;
    }

    @Override
    public AsyncHop hop() {
        return AsyncHop.SQS;
    }

    @Override
    public String target() {
        return target;
    }

    // No message attribute is set: SQS turns the request's X-Amzn-Trace-Id header into the message's AWSTraceHeader
    // system attribute ("Amazon SQS and AWS X-Ray"), which Lambda's event source mapping reads.
    @Override
    public Answer send(byte[] payload) {
        if (payload.length > MESSAGE_LIMIT) {
            throw new IllegalArgumentException("The payload for " + target + " is " + payload.length
                    + " bytes, over SQS's " + MESSAGE_LIMIT + "-byte message limit, so it was not sent. Send a"
                    + " reference to the data (an S3 key, for instance) instead.");
        }
        SendMessageResponse response;
        try {
            response = sqs.sendMessage(request -> request
                    .queueUrl(target)
                    .messageBody(new String(payload, StandardCharsets.UTF_8)));
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("SQS SendMessage to " + target, failure, remedy(failure));
        }
        return new Answer(response.sdkHttpResponse().statusCode(), response.messageId());
    }

    private String remedy(SdkException failure) {
        if (failure instanceof QueueDoesNotExistException
                || failure instanceof SqsException missing && missing.statusCode() == 404) {
            return AsyncHop.SQS.destinationVariable() + " is '" + target + "', which names no queue in this region;"
                    + " set it to the stack's " + AsyncHop.SQS.stackOutput() + " output.";
        }
        if (!(failure instanceof SqsException service)) {
            return "check that the SQS endpoint is reachable from the function, then invoke again.";
        }
        return switch (service.statusCode()) {
            case 403 -> "the execution role needs sqs:SendMessage on " + target + "; template.yaml grants it on the"
                    + " hop's queue when AsyncHop is SQS.";
            default -> service.statusCode() >= 500
                    ? "SQS failed on its side after the SDK's retries; the message was not sent, invoke again."
                    : "the message was not sent; invoke again.";
        };
    }
}
