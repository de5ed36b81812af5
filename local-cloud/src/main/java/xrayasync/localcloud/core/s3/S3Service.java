package xrayasync.localcloud.core.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import xrayasync.localcloud.core.http.ServiceException;

/** S3's state as the local cloud keeps it: a fixed list of buckets, and slow or failed answers injected on demand. */
public final class S3Service {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    /** A bucket as ListBuckets reports it. */
    public record Bucket(String name, Instant creationDate) {
    }

    private final List<Bucket> buckets;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger slowResponsesLeft = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Duration slowness = Duration.ZERO;

    public S3Service(List<String> bucketNames) {
        this.buckets = bucketNames.stream().map(name -> new Bucket(name, CREATED)).toList();
    }

    /** Counts a request and holds it back while injected slowness lasts. */
    void received() throws InterruptedException {
        requests.incrementAndGet();
        if (slowResponsesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            Thread.sleep(slowness);
        }
    }

    List<Bucket> listBuckets() {
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new ServiceException(500, "InternalError", "We encountered an internal error. Please try again.");
        }
        return buckets;
    }

    /** How many requests S3 has received. */
    public int requestCount() {
        return requests.get();
    }

    /** Fault injection: the next {@code responses} ListBuckets requests fail with S3's 500 InternalError. */
    public void failNext(int responses) {
        failuresLeft.set(responses);
    }

    /** Fault injection: the next {@code responses} answers come only after {@code delay}. */
    public void slowDown(Duration delay, int responses) {
        slowness = delay;
        slowResponsesLeft.set(responses);
    }
}
