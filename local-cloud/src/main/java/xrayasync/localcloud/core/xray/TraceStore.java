package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The segment documents X-Ray has received, by trace, assembled the way the X-Ray API returns them. */
public final class TraceStore {

    private final Map<String, Map<String, ObjectNode>> documentsByTrace = new ConcurrentHashMap<>();
    private final AtomicLong documents = new AtomicLong();

    /** Keeps a segment or independent subsegment; a later document with the same id (e.g. a completed one) wins. */
    public void put(ObjectNode document) {
        String traceId = document.path("trace_id").asText(null);
        String id = document.path("id").asText(null);
        if (traceId == null || id == null) {
            throw new IllegalArgumentException("A segment document needs trace_id and id: " + document);
        }
        documentsByTrace.computeIfAbsent(traceId, trace -> new ConcurrentHashMap<>()).put(id, document);
        documents.incrementAndGet();
    }

    /** How many documents arrived, counting replacements. */
    public long documentCount() {
        return documents.get();
    }

    public List<String> traceIds() {
        return List.copyOf(documentsByTrace.keySet());
    }

    /**
     * The trace's segments, each with the independent subsegments that name it (or one of its subsegments) as parent
     * nested where they belong, ordered by start time.
     */
    public Optional<List<ObjectNode>> segments(String traceId) {
        Map<String, ObjectNode> stored = documentsByTrace.get(traceId);
        if (stored == null) {
            return Optional.empty();
        }
        Map<String, ObjectNode> copies = new LinkedHashMap<>();
        stored.values().stream()
                .sorted(Comparator.comparingDouble(document -> document.path("start_time").asDouble()))
                .forEach(document -> copies.put(document.path("id").asText(), document.deepCopy()));
        List<ObjectNode> segments = new ArrayList<>();
        List<ObjectNode> independent = new ArrayList<>();
        copies.values().forEach(document ->
                ("subsegment".equals(document.path("type").asText()) ? independent : segments).add(document));
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        segments.forEach(segment -> index(segment, byId));
        List<ObjectNode> pending = new ArrayList<>(independent);
        boolean attached = true;
        while (!pending.isEmpty() && attached) {
            attached = false;
            for (ObjectNode subsegment : List.copyOf(pending)) {
                ObjectNode parent = byId.get(subsegment.path("parent_id").asText());
                if (parent != null) {
                    subsegment.remove(List.of("type", "trace_id", "parent_id"));
                    subsegments(parent).add(subsegment);
                    index(subsegment, byId);
                    pending.remove(subsegment);
                    attached = true;
                }
            }
        }
        // Orphans (their parent never arrived) stay visible as segments of their own, as X-Ray shows them.
        segments.addAll(pending);
        return Optional.of(segments);
    }

    private static void index(ObjectNode entity, Map<String, ObjectNode> byId) {
        byId.put(entity.path("id").asText(), entity);
        for (JsonNode child : entity.path("subsegments")) {
            index((ObjectNode) child, byId);
        }
    }

    private static ArrayNode subsegments(ObjectNode parent) {
        return parent.has("subsegments") ? (ArrayNode) parent.get("subsegments") : parent.putArray("subsegments");
    }
}
