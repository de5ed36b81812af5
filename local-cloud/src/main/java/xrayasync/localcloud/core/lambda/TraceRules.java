package xrayasync.localcloud.lambda;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import xrayasync.localcloud.template.FunctionDefinition.TracingMode;
import xrayasync.localcloud.xray.TraceId;

/**
 * How Lambda picks the trace of an invocation: an incoming trace header is continued and its sampling decision
 * wins; without one, Active samples new traces through a reservoir (one a second, then a fixed rate) and
 * PassThrough samples none.
 */
public final class TraceRules {

    private final Clock clock;
    private final RandomGenerator random;
    private final int reservoirPerSecond;
    private final double fixedRate;
    private long reservoirSecond = -1;
    private int takenThisSecond;

    /** Lambda's default sampling rule: one request a second, then 5% of the rest. */
    public static TraceRules lambdaDefaults() {
        return new TraceRules(Clock.systemUTC(), new SecureRandom(), 1, 0.05);
    }

    public TraceRules(Clock clock, RandomGenerator random, int reservoirPerSecond, double fixedRate) {
        this.clock = clock;
        this.random = random;
        this.reservoirPerSecond = reservoirPerSecond;
        this.fixedRate = fixedRate;
    }

    /**
     * The trace an invocation runs in.
     *
     * @param callerParentId the caller's segment or subsegment that the service's segment hangs under, or null
     * @param extraFields header fields beyond Root, Parent and Sampled (Lineage, for instance), passed on as received
     */
    public record TraceDecision(String traceId, String callerParentId, boolean sampled, Map<String, String> extraFields) {

        /** The header Lambda gives the function (Lambda-Runtime-Trace-Id) when its segment has the given id. */
        public String headerFor(String functionSegmentId) {
            StringBuilder header = new StringBuilder("Root=").append(traceId).append(";Parent=")
                    .append(functionSegmentId).append(";Sampled=").append(sampled ? "1" : "0");
            extraFields.forEach((key, value) -> header.append(';').append(key).append('=').append(value));
            return header.toString();
        }
    }

    public TraceDecision decide(String incomingHeader, TracingMode mode) {
        Map<String, String> fields = parse(incomingHeader);
        String root = fields.remove("Root");
        String parent = fields.remove("Parent");
        String sampled = fields.remove("Sampled");
        fields.remove("Self");
        if (root != null) {
            boolean decision = "1".equals(sampled) || (!"0".equals(sampled) && mode == TracingMode.ACTIVE && sample());
            return new TraceDecision(root, parent, decision, fields);
        }
        return new TraceDecision(newTraceId(), null, mode == TracingMode.ACTIVE && sample(), fields);
    }

    private synchronized boolean sample() {
        long second = clock.millis() / 1000;
        if (second != reservoirSecond) {
            reservoirSecond = second;
            takenThisSecond = 0;
        }
        if (takenThisSecond < reservoirPerSecond) {
            takenThisSecond++;
            return true;
        }
        return random.nextDouble() < fixedRate;
    }

    /** A new X-Ray trace id, started now by this rule's clock. */
    public String newTraceId() {
        return TraceId.create(clock.millis() / 1000, random);
    }

    /** A new segment id: 64 random bits in hex. */
    public String newSegmentId() {
        byte[] bits = new byte[8];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    static Map<String, String> parse(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (header == null) {
            return fields;
        }
        for (String field : header.split(";")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
            }
        }
        return fields;
    }
}
