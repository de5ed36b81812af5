package xrayasync.triggering;

import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming: runs ListBuckets and Invoke once through the full SDK and X-Ray pipeline against canned answers,
 * so the snapshot Lambda takes of a published version holds that code loaded and warm. Nothing leaves the process.
 */
final class SnapStartPriming {

    private final Region region;
    private final String target;
    private final TracePropagation propagation;
    private final AsyncHop hop;
    private final CannedHttpClient http = CannedHttpClient.forPriming();

    SnapStartPriming(TriggeringConfiguration configuration) {
        this.region = configuration.region();
        this.target = configuration.destination();
        this.hop = configuration.asyncHop();
        this.propagation = configuration.tracePropagation();
    }

    /** Runs one ListBuckets and, on the LambdaEvent hop, one Invoke against the canned answers; returns the requests. */
    List<String> prime() {
        new BucketListing(TriggeringHandler.s3Client(region, http)).count();
        // The canned answers tell requests apart by path alone, and SQS, SNS and EventBridge all post to "/", as
        // ListBuckets gets it: only the Lambda hop's call has an answer of its own to be primed against.
        if (hop == AsyncHop.LAMBDA_EVENT) {
            new AsyncInvoker(TriggeringHandler.lambdaClient(region, http, propagation), target)
                    .send("{}".getBytes(StandardCharsets.UTF_8));
        }
        return http.requests();
    }
}
