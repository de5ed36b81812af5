package xrayasync.triggering;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SnapStart priming: runs ListBuckets and the configured hop's hand-off once through the full SDK and X-Ray pipeline
 * against canned answers, so the snapshot Lambda takes of a published version holds that code loaded and warm.
 * Nothing leaves the process.
 */
final class SnapStartPriming {

    private final TriggeringConfiguration configuration;
    private final CannedHttpClient http = CannedHttpClient.forPriming();

    SnapStartPriming(TriggeringConfiguration configuration) {
        this.configuration = configuration;
    }

    /** Runs one ListBuckets and one hand-off of "{}" against the canned answers; returns the requests they made. */
    List<String> prime() {
        new BucketListing(TriggeringHandler.s3Client(configuration.region(), http)).count();
        // The same hop, destination and interceptors as the handler's, so exactly the code an invocation runs is warm.
        TriggeringHandler.handOff(configuration, http).send("{}".getBytes(StandardCharsets.UTF_8));
        return http.requests();
    }
}
