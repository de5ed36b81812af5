package xrayasync.localcloud.xray;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** X-Ray trace ids: format version 1, the trace's start in epoch seconds (hex), 96 random bits. */
public final class TraceId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceId() {
    }

    public static String create(long epochSeconds, RandomGenerator random) {
        byte[] bits = new byte[12];
        random.nextBytes(bits);
        return "1-" + String.format("%08x", epochSeconds) + "-" + HexFormat.of().formatHex(bits);
    }

    /** A new trace id starting now. */
    public static String create() {
        return create(Instant.now().getEpochSecond(), RANDOM);
    }
}
