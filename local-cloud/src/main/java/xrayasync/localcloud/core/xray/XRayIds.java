package xrayasync.localcloud.core.xray;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Where X-Ray ids come from: trace ids (version 1, start time, 96 random bits) and 64-bit segment ids. */
public final class XRayIds {

    private static final XRayIds SYSTEM = new XRayIds(Clock.systemUTC(), new SecureRandom());

    private final Clock clock;
    private final RandomGenerator random;

    public XRayIds(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** Ids from the system clock and a secure random source. */
    public static XRayIds system() {
        return SYSTEM;
    }

    /** A new trace id starting now: {@code 1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>}. */
    public String newTraceId() {
        return "1-" + String.format(Locale.ROOT, "%08x", clock.millis() / 1000) + "-" + HexFormat.of().formatHex(bits(12));
    }

    /** A new segment or subsegment id: 64 random bits in hex. */
    public String newSegmentId() {
        return HexFormat.of().formatHex(bits(8));
    }

    // SplittableRandom and friends are not thread-safe; the services draw ids from many threads.
    private byte[] bits(int bytes) {
        byte[] bits = new byte[bytes];
        synchronized (random) {
            random.nextBytes(bits);
        }
        return bits;
    }
}
