package xrayasync.triggered;

import java.util.List;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming: runs ListBuckets once through the full SDK and X-Ray pipeline against a canned answer, so the
 * snapshot Lambda takes of a published version holds that code loaded and warm. Nothing leaves the process.
 */
final class SnapStartPriming {

    private static final String LIST_BUCKETS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets><Bucket>"
            + "<Name>priming</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
            + "</ListAllMyBucketsResult>";

    private final Region region;
    private final CannedHttpClient http = new CannedHttpClient().answer("/", 200, "application/xml", LIST_BUCKETS);

    SnapStartPriming(Region region) {
        this.region = region;
    }

    /** Runs one ListBuckets against the canned answer; returns the requests it made. */
    List<String> prime() {
        new BucketListing(TriggeredHandler.s3Client(region, http)).count();
        return http.requests();
    }
}
