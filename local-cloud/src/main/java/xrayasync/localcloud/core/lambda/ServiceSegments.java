package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * The segments the Lambda service sends to X-Ray for a sampled invocation, as X-Ray shows them for real functions
 * today.
 *
 * <p>{@code AWS::Lambda}, the service's segment, under the caller's Invoke subsegment: for a synchronous invocation
 * it lasts until the function's response; for an event it ends when Lambda answers 202, and its {@code Dwell Time}
 * and {@code Attempt #n} subsegments run past that end, each attempt with its HTTP status (the Lambda developer guide's
 * older X-Ray page, lambda-x-ray.md: "the response time … (for example, 202)", "subsegments for the time spent in the
 * Lambda service queue (dwell time) and each invocation attempt"; a public 2023 trace shows the attempts past the 202).
 *
 * <p>{@code AWS::Lambda::Function}, the function's segment, in the new style every function moves to (Lambda
 * developer guide, services-xray): an {@code Init} subsegment on a cold start, no {@code Invocation} subsegment, the
 * function's own subsegments attached directly to the segment, an {@code Overhead} subsegment from the response to the
 * runtime's next request, and the timing annotations. The page spells the keys {@code aws.responseLatency}; real
 * new-style documents (a 2024 telemetry-API sample, aws-otel-java-instrumentation PR #1076) carry
 * {@code aws:responseLatency}, which the local cloud follows. The segment starts when the invocation starts, as in a
 * real warm document (its start plus responseLatency is Overhead's start), and Init lies before it, as Initialization
 * did in old-style documents. A SnapStart version runs here as an on-demand start: its trace shows Init, never a
 * Restore that did not happen.
 */
final class ServiceSegments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TraceStore store;
    private final XRayIds ids;

    ServiceSegments(TraceStore store, XRayIds ids) {
        this.store = store;
        this.ids = ids;
    }

    /** The service's segment for a synchronous Invoke: from the request to the function's response. */
    void synchronous(TraceDecision trace, String segmentId, String functionName, FunctionArn resourceArn,
            String requestId, Instant received, Instant end, boolean failed) {
        store.put(synchronousSegment(trace, segmentId, functionName, resourceArn, requestId, received, end, failed));
    }

    /**
     * The service's segment for a poller's synchronous invoke (an SQS batch), linked to each producer's segment: a
     * top-level {@code links} array of {@code trace_id}, {@code id} and the reference type, as a real BatchGetTraces
     * document shows it (opentelemetry-collector-contrib issue #20350), at most {@value #LINKS_PER_SEGMENT} of them
     * ("Tracing event-driven applications": "Each trace segment can be linked to up to 20 traces").
     */
    void linked(TraceDecision trace, String segmentId, String functionName, FunctionArn resourceArn,
            String requestId, Instant received, Instant end, boolean failed, List<TraceHeader> producers) {
        ObjectNode segment = synchronousSegment(trace, segmentId, functionName, resourceArn, requestId, received, end,
                failed);
        ArrayNode links = JSON.createArrayNode();
        producers.stream().filter(producer -> producer.root() != null && producer.parent() != null)
                .map(producer -> new TraceHeader(producer.root(), producer.parent(), null, Map.of())).distinct()
                .limit(LINKS_PER_SEGMENT)
                .forEach(link -> links.addObject().put("trace_id", link.root()).put("id", link.parent())
                        .putObject("attributes").put("aws.xray.reserved.reference_type", "parent"));
        if (!links.isEmpty()) {
            segment.set("links", links);
        }
        store.put(segment);
    }

    static final int LINKS_PER_SEGMENT = 20;

    private ObjectNode synchronousSegment(TraceDecision trace, String segmentId, String functionName,
            FunctionArn resourceArn, String requestId, Instant received, Instant end, boolean failed) {
        ObjectNode segment = serviceSegment(trace, segmentId, functionName, resourceArn, requestId, received, end, 200);
        if (failed) {
            segment.put("fault", true);
        }
        return segment;
    }

    /**
     * The service's segment for an event: from the request to the 202, with the time in the queue and every attempt.
     *
     * @param attempts the attempts made, in order; empty when the event expired before its first one
     */
    void asynchronous(TraceDecision trace, String segmentId, String functionName, FunctionArn resourceArn,
            String requestId, Instant received, Instant accepted, List<AsyncEventQueue.AttemptResult> attempts) {
        ObjectNode segment = serviceSegment(trace, segmentId, functionName, resourceArn, requestId, received, accepted,
                202);
        ArrayNode subsegments = segment.putArray("subsegments");
        Instant dwellEnd = attempts.isEmpty() ? accepted : attempts.getFirst().start();
        subsegments.add(entity(ids.newSegmentId(), "Dwell Time", received, dwellEnd));
        for (int index = 0; index < attempts.size(); index++) {
            AsyncEventQueue.AttemptResult attempt = attempts.get(index);
            ObjectNode span = entity(ids.newSegmentId(), "Attempt #" + (index + 1), attempt.start(), attempt.end());
            span.putObject("http").putObject("response").put("status", attemptStatus(attempt.outcome()));
            if (attempt.outcome().failed()) {
                span.put("fault", true);
            }
            subsegments.add(span);
        }
        if (!attempts.isEmpty() && attempts.getLast().outcome().failed()) {
            segment.put("fault", true);
        }
        store.put(segment);
    }

    /**
     * What Lambda's invoke of the function answered: 200 when the function ran, even when it failed (the error is the
     * function's, as a synchronous Invoke reports it with X-Amz-Function-Error), 500 when Lambda could not run it.
     */
    private static int attemptStatus(InvocationOutcome outcome) {
        return outcome.kind() == InvocationOutcome.Kind.SERVICE_ERROR ? 500 : 200;
    }

    private ObjectNode serviceSegment(TraceDecision trace, String segmentId, String functionName,
            FunctionArn resourceArn, String requestId, Instant start, Instant end, int status) {
        ObjectNode segment = entity(segmentId, functionName, start, end);
        segment.put("trace_id", trace.traceId());
        if (trace.callerParentId() != null) {
            segment.put("parent_id", trace.callerParentId());
        }
        segment.put("origin", "AWS::Lambda");
        segment.put("resource_arn", resourceArn.toString());
        segment.putObject("aws").put("request_id", requestId);
        segment.putObject("http").putObject("response").put("status", status);
        return segment;
    }

    /** The function's segment for one run, once the runtime has asked for its next event (the end of Overhead). */
    void function(TraceDecision trace, String segmentId, String parentId, String functionName,
            ExecutionEnvironment.Attempt attempt) {
        attempt.runtimeReadyAgain()
                .completeOnTimeout(attempt.end(), 2, TimeUnit.SECONDS)
                .thenAccept(readyAgain -> store.put(functionSegment(trace, segmentId, parentId, functionName,
                        attempt, readyAgain.isBefore(attempt.end()) ? attempt.end() : readyAgain)));
    }

    private ObjectNode functionSegment(TraceDecision trace, String segmentId, String parentId, String functionName,
            ExecutionEnvironment.Attempt attempt, Instant overheadEnd) {
        ObjectNode segment = entity(segmentId, functionName, attempt.delivered(), overheadEnd);
        segment.put("trace_id", trace.traceId());
        segment.put("parent_id", parentId);
        segment.put("origin", "AWS::Lambda::Function");
        segment.putObject("aws").putArray("cloudwatch_logs").addObject()
                .put("log_group", "/aws/lambda/" + functionName);
        segment.putObject("annotations")
                .put("aws:responseLatency", millis(attempt.delivered(), attempt.end()))
                .put("aws:responseDuration", millis(attempt.responseTransfer()))
                .put("aws:runtimeOverhead", millis(attempt.end(), overheadEnd))
                // No extension runs in the local cloud's environments.
                .put("aws:extensionOverhead", 0.0);
        ArrayNode subsegments = segment.putArray("subsegments");
        if (attempt.initStart() != null) {
            subsegments.add(entity(ids.newSegmentId(), "Init", attempt.initStart(), attempt.initEnd()));
        }
        subsegments.add(entity(ids.newSegmentId(), "Overhead", attempt.end(), overheadEnd));
        if (attempt.outcome().failed()) {
            segment.put("fault", true);
            JsonNode cause = cause(attempt.outcome());
            if (cause != null) {
                segment.set("cause", cause);
            }
        }
        return segment;
    }

    private static double millis(Instant start, Instant end) {
        return millis(Duration.between(start, end));
    }

    // Microseconds are the finest the annotations of real documents carry.
    private static double millis(Duration duration) {
        return Math.round(duration.toNanos() / 1e3) / 1e3;
    }

    private static JsonNode cause(InvocationOutcome outcome) {
        if (outcome.xrayCause() == null) {
            return null;
        }
        try {
            return JSON.readTree(outcome.xrayCause());
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static ObjectNode entity(String id, String name, Instant start, Instant end) {
        ObjectNode entity = JSON.createObjectNode();
        entity.put("id", id);
        entity.put("name", name);
        entity.put("start_time", seconds(start));
        entity.put("end_time", seconds(end));
        return entity;
    }

    static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
