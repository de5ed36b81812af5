package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.EdgeStatistics;
import software.amazon.awssdk.services.xray.model.ErrorStatistics;
import software.amazon.awssdk.services.xray.model.FaultStatistics;
import software.amazon.awssdk.services.xray.model.HistogramEntry;
import software.amazon.awssdk.services.xray.model.Service;
import software.amazon.awssdk.services.xray.model.ServiceStatistics;

/**
 * The service graph X-Ray draws from traces, as GetServiceGraph and GetTraceGraph return it (X-Ray API reference:
 * Service, Edge, ServiceStatistics, HistogramEntry): a node per service (name and type, the segment's origin), the
 * {@code client} node for whoever sent the first request of a trace, and an edge from the service that made a call
 * to the service whose segment (sent or inferred) answered it. A segment's {@code links} (a queue's consumer, linked to
 * its producers) add an edge of type {@code link} from the service the producer's linked subsegment called (the
 * queue) to the consumer, with the event ages the consumer received them at: the API reference's Edge, "EdgeType:
 * Describes an asynchronous connection, with a value of link" and "ReceivedEventAgeHistogram ... Only populated when
 * EdgeType is link"; the X-Ray guide's "Tracing event-driven applications" draws it dashed, SQS to Lambda.
 */
public final class ServiceGraph {

    private static final String CLIENT = "client";

    /** A node: its key is what X-Ray merges services by. */
    private record Node(String name, String type) {
    }

    /** Counts and times of the segments (or calls) a node or an edge stands for. */
    private static final class Statistics {
        double start = Double.MAX_VALUE;
        double end = 0;
        long ok;
        long errors;
        long throttles;
        long faults;
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

        Instant startTime() {
            return XRayTime.instant(start);
        }

        Instant endTime() {
            return XRayTime.instant(end);
        }

        ErrorStatistics errorStatistics() {
            return ErrorStatistics.builder().throttleCount(throttles).otherCount(errors).totalCount(errors + throttles)
                    .build();
        }

        FaultStatistics faultStatistics() {
            return FaultStatistics.builder().otherCount(faults).totalCount(faults).build();
        }

        long totalCount() {
            return ok + errors + throttles + faults;
        }

        List<HistogramEntry> histogram() {
            List<HistogramEntry> histogram = new ArrayList<>();
            durations.forEach((value, count) -> histogram.add(HistogramEntry.builder().value(value).count(count)
                    .build()));
            return histogram;
        }

        Edge edge(int referenceId) {
            return Edge.builder().referenceId(referenceId).startTime(startTime()).endTime(endTime())
                    .summaryStatistics(EdgeStatistics.builder().okCount(ok).errorStatistics(errorStatistics())
                            .faultStatistics(faultStatistics()).totalCount(totalCount())
                            .totalResponseTime(totalResponseTime).build())
                    .responseTimeHistogram(histogram()).aliases(List.of()).build();
        }

        Service.Builder describe(Service.Builder service) {
            return service.startTime(startTime()).endTime(endTime())
                    .summaryStatistics(ServiceStatistics.builder().okCount(ok).errorStatistics(errorStatistics())
                            .faultStatistics(faultStatistics()).totalCount(totalCount())
                            .totalResponseTime(totalResponseTime).build())
                    .responseTimeHistogram(histogram()).durationHistogram(histogram());
        }
    }

    private final Map<Node, Statistics> nodes = new LinkedHashMap<>();
    private final Map<Node, Map<Node, Statistics>> edges = new LinkedHashMap<>();
    private final Map<Node, Boolean> roots = new HashMap<>();
    /** Across the traces added: the service X-Ray inferred for each call, and when each entity started. */
    private final Map<String, Node> inferredForCall = new HashMap<>();
    private final Map<String, Double> entityStart = new HashMap<>();
    private final List<Link> links = new ArrayList<>();

    /** A consumer's segment linked to a producer's entity, resolved once every trace is in. */
    private record Link(Node consumer, JsonNode segment, String producerEntity) {
    }

    /** Adds one trace: the segments it holds and the ones X-Ray infers from them. */
    public void add(List<ObjectNode> segments) {
        List<ObjectNode> all = new ArrayList<>(segments);
        all.addAll(InferredSegments.of(segments));
        Map<String, Node> nodeOfEntity = new HashMap<>();
        for (ObjectNode segment : all) {
            index(segment, node(segment), nodeOfEntity);
            if (segment.path("inferred").asBoolean()) {
                inferredForCall.put(segment.path("parent_id").asText(), node(segment));
            }
            segment.path("links").forEach(link -> links.add(new Link(node(segment), segment,
                    link.path("id").asText())));
        }
        // A segment under a call X-Ray inferred a service for (a target under EventBridge's PutEvents) is that
        // service's callee, not its caller's.
        for (ObjectNode segment : all) {
            Node node = node(segment);
            nodes.computeIfAbsent(node, key -> new Statistics()).add(segment);
            String parent = segment.path("parent_id").asText();
            Node caller = !segment.path("inferred").asBoolean() && inferredForCall.containsKey(parent)
                    ? inferredForCall.get(parent) : nodeOfEntity.get(parent);
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

    private void index(JsonNode entity, Node node, Map<String, Node> nodeOfEntity) {
        nodeOfEntity.put(entity.path("id").asText(), node);
        entityStart.put(entity.path("id").asText(), entity.path("start_time").asDouble());
        entity.path("subsegments").forEach(child -> index(child, node, nodeOfEntity));
    }

    /** The link edges, from the queue's node to each consumer, with the ages their events were received at. */
    private Map<Node, Map<Node, Statistics>> linkEdges(Map<Node, Map<Node, Map<Double, Integer>>> ages) {
        Map<Node, Map<Node, Statistics>> linked = new LinkedHashMap<>();
        for (Link link : links) {
            Node queue = inferredForCall.get(link.producerEntity());
            if (queue == null) {
                continue;
            }
            linked.computeIfAbsent(queue, key -> new LinkedHashMap<>())
                    .computeIfAbsent(link.consumer(), key -> new Statistics()).add(link.segment());
            double age = Math.round((link.segment().path("start_time").asDouble()
                    - entityStart.get(link.producerEntity())) * 1000) / 1000.0;
            ages.computeIfAbsent(queue, key -> new LinkedHashMap<>())
                    .computeIfAbsent(link.consumer(), key -> new TreeMap<>()).merge(age, 1, Integer::sum);
        }
        return linked;
    }

    /** The graph's services, as the API's Services list has them; the client first. */
    public List<Service> services() {
        List<Node> order = new ArrayList<>(nodes.keySet());
        order.sort((left, right) -> Boolean.compare(!CLIENT.equals(left.type()), !CLIENT.equals(right.type())));
        Map<Node, Integer> referenceIds = new HashMap<>();
        order.forEach(node -> referenceIds.put(node, referenceIds.size()));
        Map<Node, Map<Node, Map<Double, Integer>>> ages = new HashMap<>();
        Map<Node, Map<Node, Statistics>> linked = linkEdges(ages);
        List<Service> services = new ArrayList<>();
        for (Node node : order) {
            List<Edge> serviceEdges = new ArrayList<>();
            edges.getOrDefault(node, Map.of()).forEach((callee, statistics) ->
                    serviceEdges.add(statistics.edge(referenceIds.get(callee))));
            linked.getOrDefault(node, Map.of()).forEach((consumer, statistics) -> {
                List<HistogramEntry> received = new ArrayList<>();
                ages.get(node).get(consumer).forEach((age, count) -> received.add(HistogramEntry.builder().value(age)
                        .count(count).build()));
                serviceEdges.add(statistics.edge(referenceIds.get(consumer)).toBuilder().edgeType("link")
                        .receivedEventAgeHistogram(received).build());
            });
            Service.Builder service = Service.builder().referenceId(referenceIds.get(node))
                    .root(roots.getOrDefault(node, false)).type(node.type()).state("active").edges(serviceEdges);
            if (node.name() != null) {
                service.name(node.name()).names(node.name());
            }
            if (!CLIENT.equals(node.type())) {
                nodes.get(node).describe(service);
            }
            services.add(service.build());
        }
        return services;
    }
}
