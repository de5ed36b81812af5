package xrayasync.triggered;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** The function's S3 ListBuckets: how many buckets the execution role sees, or a failure that says what to do. */
final class BucketListing {

    private static final String DENIED = "the execution role needs s3:ListAllMyBuckets; template.yaml grants it to"
            + " both functions.";
    // What becomes of the event when S3 fails for any other reason: SNS and EventBridge invoke the function
    // asynchronously, as the LambdaEvent hop does; the SQS hop's event source mapping has the queue's own redrive.
    private static final String OTHERWISE = "Lambda retries this event per the stack's EventInvokeConfig, then sends it"
            + " to the failure queue; on the SQS hop the queue delivers the message again after its visibility"
            + " timeout, then moves it to its dead-letter queue.";

    private final S3Client s3;

    BucketListing(S3Client s3) {
        this.s3 = s3;
    }

    int count() {
        try {
            return (int) s3.listBucketsPaginator(request -> { }).buckets().stream().count();
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("S3 ListBuckets", failure,
                    failure instanceof S3Exception denied && denied.statusCode() == 403 ? DENIED : OTHERWISE);
        }
    }
}
