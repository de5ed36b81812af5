package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service graph X-Ray draws from traces, as GetServiceGraph and GetTraceGraph return it (X-Ray API reference:
 * Service, Edge, ServiceStatistics, HistogramEntry): a node per service (name and type, the segment's origin), the
 * {@code client} node for whoever sent the first request of a trace, and an edge from the service that made a call
 * to the service whose segment (sent or inferred) answered it.
 */
public final class ServiceGraph {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "client";

    /** A node: its key is what X-Ray merges services by. */
    private record Node(String name, String type) {
    }

    /** Counts and times of the segments (or calls) a node or an edge stands for. */
    private static final class Statistics {
        double start = Double.MAX_VALUE;
        double end = 0;
        int ok;
        int errors;
        int throttles;
        int faults;
        double totalResponseTime;
        final Map<Double, Integer> durations = new TreeMap<>();

        void add(JsonNode segment) {
            double segmentStart = segment.path("start_time").asDouble();
            double segmentEnd = segment.path("end_time").asDouble(segmentStart);
            start = Math.min(start, segmentStart);
            end = Math.max(end, segmentEnd);
            if (segment.path("fault").asBoolean()) {
                faults++;
            } else if (segment.path("throttle").asBoolean()) {
                throttles++;
            } else if (segment.path("error").asBoolean()) {
                errors++;
            } else {
                ok++;
            }
            double duration = Math.round((segmentEnd - segmentStart) * 1000) / 1000.0;
            totalResponseTime += duration;
            durations.merge(duration, 1, Integer::sum);
        }

        void write(ObjectNode target, String statisticsField, String histogramField) {
            target.put("StartTime", start);
            target.put("EndTime", end);
            ObjectNode statistics = target.putObject(statisticsField);
            statistics.put("OkCount", ok);
            statistics.putObject("ErrorStatistics").put("ThrottleCount", throttles).put("OtherCount", errors)
                    .put("TotalCount", errors + throttles);
            statistics.putObject("FaultStatistics").put("OtherCount", faults).put("TotalCount", faults);
            statistics.put("TotalCount", ok + errors + throttles + faults);
            statistics.put("TotalResponseTime", totalResponseTime);
            ArrayNode histogram = target.putArray(histogramField);
            durations.forEach((value, count) -> histogram.addObject().put("Value", value).put("Count", count));
        }
    }

    private final Map<Node, Statistics> nodes = new LinkedHashMap<>();
    private final Map<Node, Map<Node, Statistics>> edges = new LinkedHashMap<>();
    private final Map<Node, Boolean> roots = new HashMap<>();

    /** Adds one trace: the segments it holds and the ones X-Ray infers from them. */
    public void add(List<ObjectNode> segments) {
        List<ObjectNode> all = new ArrayList<>(segments);
        all.addAll(InferredSegments.of(segments));
        Map<String, Node> nodeOfEntity = new HashMap<>();
        for (ObjectNode segment : all) {
            index(segment, node(segment), nodeOfEntity);
        }
        for (ObjectNode segment : all) {
            Node node = node(segment);
            nodes.computeIfAbsent(node, key -> new Statistics()).add(segment);
            Node caller = nodeOfEntity.get(segment.path("parent_id").asText());
            if (caller == null) {
                caller = new Node(null, CLIENT);
                nodes.computeIfAbsent(caller, key -> new Statistics());
                roots.put(node, true);
            }
            edges.computeIfAbsent(caller, key -> new LinkedHashMap<>())
                    .computeIfAbsent(node, key -> new Statistics()).add(segment);
        }
    }

    private static Node node(JsonNode segment) {
        return new Node(segment.path("name").asText(), segment.path("origin").asText("remote"));
    }

    private static void index(JsonNode entity, Node node, Map<String, Node> nodeOfEntity) {
        nodeOfEntity.put(entity.path("id").asText(), node);
        entity.path("subsegments").forEach(child -> index(child, node, nodeOfEntity));
    }

    /** The graph's services, in the shape of the API's Services list; the client first. */
    public ArrayNode services() {
        List<Node> order = new ArrayList<>(nodes.keySet());
        order.sort((left, right) -> Boolean.compare(!CLIENT.equals(left.type()), !CLIENT.equals(right.type())));
        Map<Node, Integer> referenceIds = new HashMap<>();
        order.forEach(node -> referenceIds.put(node, referenceIds.size()));
        ArrayNode services = JSON.createArrayNode();
        for (Node node : order) {
            ObjectNode service = services.addObject();
            service.put("ReferenceId", referenceIds.get(node));
            if (node.name() != null) {
                service.put("Name", node.name());
                service.putArray("Names").add(node.name());
            }
            service.put("Root", roots.getOrDefault(node, false));
            service.put("Type", node.type());
            service.put("State", "active");
            ArrayNode serviceEdges = service.putArray("Edges");
            edges.getOrDefault(node, Map.of()).forEach((callee, statistics) -> {
                ObjectNode edge = serviceEdges.addObject();
                edge.put("ReferenceId", referenceIds.get(callee));
                statistics.write(edge, "SummaryStatistics", "ResponseTimeHistogram");
                edge.putArray("Aliases");
            });
            if (!CLIENT.equals(node.type())) {
                Statistics statistics = nodes.get(node);
                statistics.write(service, "SummaryStatistics", "ResponseTimeHistogram");
                ArrayNode durations = service.putArray("DurationHistogram");
                statistics.durations.forEach((value, count) -> durations.addObject().put("Value", value)
                        .put("Count", count));
            }
        }
        return services;
    }
}
