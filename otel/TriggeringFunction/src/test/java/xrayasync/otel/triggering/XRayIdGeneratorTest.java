package xrayasync.otel.triggering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** Span and trace ids in X-Ray's format that no two environments restored from one SnapStart snapshot share. */
class XRayIdGeneratorTest {

    @Test
    void environmentsRestoredFromOneSnapshotDrawDifferentIds() throws Exception {
        XRayIdGenerator atInit = new XRayIdGenerator();
        atInit.generateSpanId(); // SnapStart priming draws ids before the snapshot

        byte[] snapshot = snapshot(atInit);
        IdGenerator first = restore(snapshot);
        IdGenerator second = restore(snapshot);

        assertNotEquals(first.generateSpanId(), second.generateSpanId());
        assertNotEquals(first.generateTraceId(), second.generateTraceId());
    }

    // What the test above guards against. OpenTelemetry's default draws from ThreadLocalRandom, a seeded PRNG whose
    // state a snapshot copies; serialization cannot copy it (it deserializes as the reading thread's own), so
    // java.util.Random, a seeded PRNG that serializes, stands in for it.
    @Test
    void environmentsRestoredFromOneSnapshotOfASeededPrngRepeatEachOthersIds() throws Exception {
        byte[] snapshot = snapshot(new XRayIdGenerator(new Random()));
        IdGenerator first = restore(snapshot);
        IdGenerator second = restore(snapshot);

        assertEquals(first.generateSpanId(), second.generateSpanId());
        assertEquals(randomPart(first.generateTraceId()), randomPart(second.generateTraceId()));
    }

    @Test
    void aTraceIdIsValidAndBeginsWithTheEpochSecondAsXRayReadsIt() {
        long before = Instant.now().getEpochSecond();
        String traceId = new XRayIdGenerator().generateTraceId();

        assertXRayTraceIdOfASecondBetween(before, traceId, Instant.now().getEpochSecond());
    }

    @Test
    void aSpanIdIsSixteenHexDigitsAndNeverAllZeros() {
        Random zeroFirst = new Random() {
            private final Iterator<Long> draws = List.of(0L, 42L).iterator();

            @Override
            public long nextLong() {
                return draws.next();
            }
        };

        assertEquals("000000000000002a", new XRayIdGenerator(zeroFirst).generateSpanId());
        assertTrue(SpanId.isValid(new XRayIdGenerator().generateSpanId()));
    }

    /** Asserts that a trace id, as OpenTelemetry writes it, is valid and begins with an epoch second in the range. */
    static void assertXRayTraceIdOfASecondBetween(long first, String traceId, long last) {
        assertTrue(TraceId.isValid(traceId), traceId);
        long epochSecond = Long.parseLong(traceId.substring(0, 8), 16);
        assertTrue(first <= epochSecond && epochSecond <= last,
                traceId + " begins with second " + epochSecond + ", not one from " + first + " to " + last);
    }

    /** The generator's state as a snapshot holds it. */
    private static byte[] snapshot(XRayIdGenerator generator) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(generator);
        }
        return bytes.toByteArray();
    }

    /** The generator as an environment resumed from the snapshot finds it. */
    private static IdGenerator restore(byte[] snapshot) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            return (IdGenerator) in.readObject();
        }
    }

    /** A trace id without its first 8 hex digits, the second it was drawn in. */
    private static String randomPart(String traceId) {
        return traceId.substring(8);
    }
}
