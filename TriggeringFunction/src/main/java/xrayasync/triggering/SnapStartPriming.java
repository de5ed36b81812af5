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
    private final CannedHttpClient http = CannedHttpClient.forPriming();

    SnapStartPriming(TriggeringConfiguration configuration) {
        this.region = configuration.region();
        this.target = configuration.triggeredFunctionName();
        this.propagation = configuration.tracePropagation();
    }

    /** Runs one ListBuckets and one Invoke against the canned answers; returns the requests they made. */
    List<String> prime() {
        new BucketListing(TriggeringHandler.s3Client(region, http)).count();
        new AsyncInvoker(TriggeringHandler.lambdaClient(region, http, propagation), target)
                .invoke("{}".getBytes(StandardCharsets.UTF_8));
        return http.requests();
    }
}
