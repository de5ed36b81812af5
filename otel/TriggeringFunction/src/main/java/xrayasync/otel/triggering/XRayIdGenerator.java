package xrayasync.otel.triggering;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.io.Serial;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** Span and trace ids that stay unique across the execution environments Lambda resumes from one SnapStart snapshot. */
final class XRayIdGenerator implements IdGenerator, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    // AWS Lambda Developer Guide, "Handling uniqueness with Lambda SnapStart" (lambda/latest/dg/snapstart-uniqueness):
    // Lambda resumes many environments from one snapshot, so a PRNG whose state was in memory at the snapshot draws
    // the same numbers in each of them; use a CSPRNG, for Java java.security.SecureRandom. OpenTelemetry's default
    // (RandomIdGenerator in opentelemetry-sdk-trace 1.57.0, through RandomSupplier.platformDefault()) draws from
    // ThreadLocalRandom, whose seeds are such state. The generator is Serializable because a serialized copy is how
    // its tests model the state a snapshot carries into every restored environment.
    private final Random random;

    XRayIdGenerator() {
        this(new SecureRandom());
    }

    /** A generator drawing from the given source: ids survive a restore unique only if it is a CSPRNG. */
    XRayIdGenerator(Random random) {
        this.random = random;
    }

    @Override
    public String generateSpanId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0); // all zeros is the invalid span id
        return SpanId.fromLong(id);
    }

    // X-Ray's trace id form, as the contrib AwsXrayIdGenerator writes it: the first 8 hex digits are the epoch second
    // the trace started, which X-Ray reads as its time (and rejects when too old); the other 24 are random.
    @Override
    public String generateTraceId() {
        long epochSecond = TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis());
        return TraceId.fromLongs(epochSecond << 32 | (random.nextInt() & 0xFFFF_FFFFL), random.nextLong());
    }
}
