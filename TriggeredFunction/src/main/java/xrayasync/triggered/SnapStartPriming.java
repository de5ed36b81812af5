package xrayasync.triggered;

import java.util.List;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming: runs ListBuckets once through the full SDK and X-Ray pipeline against a canned answer, so the
 * snapshot Lambda takes of a published version holds that code loaded and warm. Nothing leaves the process.
 */
final class SnapStartPriming {

    private final Region region;
    private final CannedHttpClient http = CannedHttpClient.forPriming();

    SnapStartPriming(Region region) {
        this.region = region;
    }

    /** Runs one ListBuckets against the canned answer; returns the requests it made. */
    List<String> prime() {
        new BucketListing(TriggeredHandler.s3Client(region, http)).count();
        return http.requests();
    }
}
