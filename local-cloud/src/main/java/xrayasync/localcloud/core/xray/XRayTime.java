package xrayasync.localcloud.core.xray;

import java.time.Instant;

/** X-Ray's time: segment documents carry epoch seconds with the fraction of a second as decimals. */
final class XRayTime {

    private XRayTime() {
    }

    static Instant instant(double epochSeconds) {
        return Instant.ofEpochSecond(0, Math.round(epochSeconds * 1e9));
    }

    /** Epoch milliseconds, the store's time, rounded down so a window's start never passes over a document. */
    static long millis(double epochSeconds) {
        return (long) Math.floor(epochSeconds * 1000);
    }

    static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
