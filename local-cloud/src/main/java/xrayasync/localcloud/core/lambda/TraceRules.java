package xrayasync.localcloud.core.lambda;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import xrayasync.localcloud.core.template.FunctionDefinition.TracingMode;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.TraceHeader.Sampling;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * How Lambda picks the trace of an invocation, as it does today. An Active function continues an incoming header
 * whose sampling decision wins; with no header, or a header with a Root and no decision, it samples through a
 * reservoir (one a second, then a fixed rate) in that Root or a new one. A PassThrough function is not traced at all,
 * even when the incoming header says sampled, and gets a header with only Root (and Lineage): the Lambda developer
 * guide's X-Ray page (services-xray), the AWS Compute Blog post "Streamlining trace sampling behavior for AWS Lambda
 * functions with AWS X-Ray", and aws-xray-sdk-java PR #409 (the SDK's side of the Root-only header). The Lambda API
 * reference for TracingConfig and the CDK docs still carry the older sentence (PassThrough follows a sampled header);
 * the local cloud follows the developer guide and the blog, which describe what the service does now.
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
     * @param mode the function's tracing mode, which decides the header the function gets
     * @param extraFields header fields beyond Root, Parent and Sampled (Lineage, for instance), passed on as received
     */
    public record TraceDecision(String traceId, String callerParentId, TracingMode mode, boolean sampled,
            Map<String, String> extraFields) {

        /**
         * The header Lambda gives the function (Lambda-Runtime-Trace-Id) when its segment has the given id: the full
         * context for an Active function, Root and the extra fields only for a PassThrough one.
         */
        public TraceHeader headerFor(String functionSegmentId) {
            if (mode == TracingMode.PASS_THROUGH) {
                return new TraceHeader(traceId, null, null, extraFields);
            }
            return new TraceHeader(traceId, functionSegmentId, sampled ? Sampling.SAMPLED : Sampling.NOT_SAMPLED,
                    extraFields);
        }
    }

    public TraceDecision decide(TraceHeader incoming, TracingMode mode) {
        // Self records a load balancer's own hop; it is not part of the trace context handed on.
        TraceHeader header = incoming.without("Self");
        if (header.root() == null) {
            return new TraceDecision(ids.newTraceId(), null, mode, mode == TracingMode.ACTIVE && sample(),
                    header.otherFields());
        }
        Sampling callerDecision = header.sampling() == null ? Sampling.REQUESTED : header.sampling();
        boolean sampled = mode == TracingMode.ACTIVE && switch (callerDecision) {
            case SAMPLED -> true;
            case NOT_SAMPLED -> false;
            case REQUESTED -> sample();
        };
        return new TraceDecision(header.root(), header.parent(), mode, sampled, header.otherFields());
    }

    /**
     * The trace a poller's invocation runs in (an SQS event source mapping's batch): always a new trace, which X-Ray
     * links to the producers' instead of joining them ("Tracing event-driven applications"). No AWS source says how
     * Lambda samples it; here a batch with a sampled producer is sampled, as the producer's decision is honoured on
     * the other hops, and a batch without one goes through the reservoir, as a request with no header does.
     */
    public TraceDecision decideLinked(List<TraceHeader> producers, TracingMode mode) {
        boolean producerSampled = producers.stream().anyMatch(producer -> producer.sampling() == Sampling.SAMPLED);
        return new TraceDecision(ids.newTraceId(), null, mode, mode == TracingMode.ACTIVE && (producerSampled
                || sample()), Map.of());
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
