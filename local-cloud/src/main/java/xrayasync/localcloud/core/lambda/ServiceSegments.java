package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * The segments the Lambda service sends to X-Ray for a sampled invocation, as X-Ray shows them for real functions:
 * {@code AWS::Lambda} for the service (with Dwell Time and Attempt #n for an async event), and
 * {@code AWS::Lambda::Function} for each run of the function (Initialization, Invocation, Overhead).
 */
final class ServiceSegments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TraceStore store;
    private final XRayIds ids;

    ServiceSegments(TraceStore store, XRayIds ids) {
        this.store = store;
        this.ids = ids;
    }

    /**
     * The service's segment for one Invoke request, under the caller's subsegment when the request carried one.
     *
     * @param attempts the async attempts, empty for a synchronous invocation
     */
    void service(TraceDecision trace, String segmentId, String functionName, FunctionArn resourceArn, String requestId,
            Instant received, Instant end, int status, List<AsyncEventQueue.AttemptResult> attempts) {
        ObjectNode segment = entity(segmentId, functionName, received, end);
        segment.put("trace_id", trace.traceId());
        if (trace.callerParentId() != null) {
            segment.put("parent_id", trace.callerParentId());
        }
        segment.put("origin", "AWS::Lambda");
        segment.put("resource_arn", resourceArn.toString());
        segment.putObject("aws").put("request_id", requestId);
        segment.putObject("http").putObject("response").put("status", status);
        if (!attempts.isEmpty()) {
            ArrayNode subsegments = segment.putArray("subsegments");
            subsegments.add(entity(ids.newSegmentId(), "Dwell Time", received, attempts.getFirst().start()));
            for (int index = 0; index < attempts.size(); index++) {
                AsyncEventQueue.AttemptResult attempt = attempts.get(index);
                ObjectNode span = entity(ids.newSegmentId(), "Attempt #" + (index + 1), attempt.start(), attempt.end());
                if (attempt.outcome().failed()) {
                    span.put("fault", true);
                }
                subsegments.add(span);
            }
            if (attempts.getLast().outcome().failed()) {
                segment.put("fault", true);
            }
        }
        store.put(segment);
    }

    /** The function's segment for one run, once the runtime has asked for its next event (the end of Overhead). */
    void function(TraceDecision trace, String segmentId, String parentId, String functionName, FunctionArn resourceArn,
            ExecutionEnvironment.Attempt attempt) {
        attempt.runtimeReadyAgain()
                .completeOnTimeout(attempt.end(), 2, TimeUnit.SECONDS)
                .thenAccept(readyAgain -> store.put(functionSegment(trace, segmentId, parentId, functionName,
                        resourceArn, attempt, readyAgain.isBefore(attempt.end()) ? attempt.end() : readyAgain)));
    }

    private ObjectNode functionSegment(TraceDecision trace, String segmentId, String parentId, String functionName,
            FunctionArn resourceArn, ExecutionEnvironment.Attempt attempt, Instant overheadEnd) {
        Instant start = attempt.initStart() != null ? attempt.initStart() : attempt.delivered();
        ObjectNode segment = entity(segmentId, functionName, start, overheadEnd);
        segment.put("trace_id", trace.traceId());
        segment.put("parent_id", parentId);
        segment.put("origin", "AWS::Lambda::Function");
        segment.put("resource_arn", resourceArn.toString());
        segment.putObject("aws").put("request_id", attempt.requestId());
        ArrayNode subsegments = segment.putArray("subsegments");
        if (attempt.initStart() != null) {
            subsegments.add(entity(ids.newSegmentId(), "Initialization", attempt.initStart(), attempt.initEnd()));
        }
        ObjectNode invocation = entity(ids.newSegmentId(), "Invocation", attempt.delivered(), attempt.end());
        subsegments.add(invocation);
        subsegments.add(entity(ids.newSegmentId(), "Overhead", attempt.end(), overheadEnd));
        if (attempt.outcome().failed()) {
            segment.put("fault", true);
            invocation.put("fault", true);
            JsonNode cause = cause(attempt.outcome());
            if (cause != null) {
                invocation.set("cause", cause);
            }
        }
        return segment;
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
