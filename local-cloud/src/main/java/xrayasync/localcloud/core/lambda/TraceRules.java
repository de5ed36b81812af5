package xrayasync.localcloud.core.lambda;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;
import xrayasync.localcloud.core.template.FunctionDefinition.TracingMode;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.TraceHeader.Sampling;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * How Lambda picks the trace of an invocation: an incoming trace header is continued and its sampling decision
 * wins; without one, Active samples new traces through a reservoir (one a second, then a fixed rate) and
 * PassThrough samples none.
 */
public final class TraceRules {

    private final XRayIds ids;
    private final Clock clock;
    private final RandomGenerator random;
    private final int reservoirPerSecond;
    private final double fixedRate;
    private long reservoirSecond = -1;
    private int takenThisSecond;

    /** Lambda's default sampling rule: one request a second, then 5% of the rest. */
    public static TraceRules lambdaDefaults(XRayIds ids) {
        return new TraceRules(ids, Clock.systemUTC(), new SecureRandom(), 1, 0.05);
    }

    /**
     * @param ids where new trace ids come from
     * @param clock the reservoir's clock
     * @param random the fixed rate's dice
     */
    public TraceRules(XRayIds ids, Clock clock, RandomGenerator random, int reservoirPerSecond, double fixedRate) {
        this.ids = ids;
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
        public TraceHeader headerFor(String functionSegmentId) {
            return new TraceHeader(traceId, functionSegmentId, sampled ? Sampling.SAMPLED : Sampling.NOT_SAMPLED,
                    extraFields);
        }
    }

    public TraceDecision decide(TraceHeader incoming, TracingMode mode) {
        // Self records a load balancer's own hop; it is not part of the trace context handed on.
        TraceHeader header = incoming.without("Self");
        if (header.root() != null) {
            boolean decision = header.sampling() == Sampling.SAMPLED
                    || (header.sampling() != Sampling.NOT_SAMPLED && mode == TracingMode.ACTIVE && sample());
            return new TraceDecision(header.root(), header.parent(), decision, header.otherFields());
        }
        return new TraceDecision(ids.newTraceId(), null, mode == TracingMode.ACTIVE && sample(), header.otherFields());
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
}
