package xrayasync.triggering;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** The function's S3 ListBuckets: how many buckets the execution role sees, or a failure that says what to do. */
final class BucketListing {

    private static final String DENIED = "the execution role needs s3:ListAllMyBuckets; template.yaml grants it to"
            + " both functions.";
    // What this function's caller can do when S3 fails for any other reason.
    private static final String OTHERWISE = "check that S3 is reachable from the function, then invoke again.";

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
