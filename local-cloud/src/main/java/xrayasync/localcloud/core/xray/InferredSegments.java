package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import xrayasync.localcloud.core.arn.FunctionArn;

/**
 * The segments X-Ray infers for downstream AWS calls whose service sent no segment of its own (X-Ray developer guide,
 * "Inferred segments" in xray-concepts, and the BatchGetTraces example in xray-api-gettingdata): one per {@code aws}
 * subsegment, with a new id, the subsegment as its parent, the subsegment's times, {@code http} and {@code aws},
 * {@code "inferred": true} and the service's origin. A segment the downstream service did send (Lambda's
 * {@code AWS::Lambda} under the caller's Invoke subsegment, an Active topic's {@code AWS::SNS::Topic} under Publish)
 * replaces the inferred one. A service that passes the header on without a segment of its own (EventBridge) is still
 * inferred when its target's segment hangs under the call: "the trace map displays an EventBridge event node that
 * connects source and target services" (X-Ray guide, "Amazon EventBridge and AWS X-Ray").
 */
public final class InferredSegments {

    private InferredSegments() {
    }

    /** The inferred segments of one trace, given the segments it holds. */
    public static List<ObjectNode> of(List<ObjectNode> segments) {
        Map<String, List<String>> originsUnder = new HashMap<>();
        segments.forEach(segment -> originsUnder.computeIfAbsent(segment.path("parent_id").asText(),
                parent -> new ArrayList<>()).add(segment.path("origin").asText()));
        List<ObjectNode> inferred = new ArrayList<>();
        segments.forEach(segment -> collect(segment, segment.path("trace_id").asText(), originsUnder, inferred));
        return inferred;
    }

    private static void collect(JsonNode entity, String traceId, Map<String, List<String>> originsUnder,
            List<ObjectNode> inferred) {
        for (JsonNode child : entity.path("subsegments")) {
            if ("aws".equals(child.path("namespace").asText()) && !answeredByItsService(child, originsUnder)) {
                inferred.add(inferredFrom((ObjectNode) child, traceId));
            }
            collect(child, traceId, originsUnder, inferred);
        }
    }

    /** Whether a segment of the service the call went to hangs under it: its origin is that service's. */
    private static boolean answeredByItsService(JsonNode call, Map<String, List<String>> originsUnder) {
        String service = "aws::" + call.path("name").asText().toLowerCase(Locale.ROOT);
        return originsUnder.getOrDefault(call.path("id").asText(), List.of()).stream()
                .anyMatch(origin -> origin.toLowerCase(Locale.ROOT).startsWith(service));
    }

    private static ObjectNode inferredFrom(ObjectNode call, String traceId) {
        ObjectNode segment = call.objectNode();
        // Derived from the subsegment's id, so every read of the trace gives the inferred segment the same id.
        segment.put("id", String.format(Locale.ROOT, "%016x", UUID.nameUUIDFromBytes(
                call.path("id").asText().getBytes(StandardCharsets.UTF_8)).getMostSignificantBits()));
        segment.put("name", serviceName(call));
        segment.set("start_time", call.path("start_time"));
        segment.set("end_time", call.path("end_time"));
        segment.put("parent_id", call.path("id").asText());
        segment.put("inferred", true);
        if (call.has("http")) {
            segment.set("http", call.get("http"));
        }
        if (call.has("aws")) {
            segment.set("aws", call.get("aws"));
        }
        for (String flag : List.of("error", "fault", "throttle")) {
            if (call.path(flag).asBoolean()) {
                segment.put(flag, true);
            }
        }
        segment.put("trace_id", traceId);
        segment.put("origin", "AWS::" + call.path("name").asText());
        return segment;
    }

    /** A function invoked is its own node, named by the function; any other service by the call's name. */
    private static String serviceName(JsonNode call) {
        String function = call.path("aws").path("function_name").asText("");
        return function.isEmpty() ? call.path("name").asText()
                : FunctionArn.fromFunctionName(function, null, null).functionName();
    }
}
