package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;

/**
 * The segment documents X-Ray has received, by trace, assembled the way the X-Ray API returns them; kept in the
 * {@link Store} (each document under its trace, and each trace under its start time, so a time window is one index
 * range) for X-Ray's 30 days of retention.
 */
public final class TraceStore {

    /** How long X-Ray keeps trace data ("AWS X-Ray FAQs": traces are stored for 30 days). */
    public static final Duration RETENTION = Duration.ofDays(30);

    /** A trace as the time index keeps it: its id and the start of its earliest segment, in epoch seconds. */
    record TraceStart(String traceId, double start) {
    }

    private final Store store;
    private final Records documents;
    private final Records starts;
    private final AtomicLong received = new AtomicLong();

    public TraceStore(Store store) {
        this.store = store;
        this.documents = store.records("xray-segment");
        this.starts = store.records("xray-trace");
        store.retain("xray-segment", RETENTION);
        store.retain("xray-trace", RETENTION);
    }

    /**
     * Keeps a segment or independent subsegment; a later document with the same id (e.g. a completed one) wins.
     * Durable when this returns.
     */
    public void put(ObjectNode document) {
        Keyed keyed = keyed(document);
        store.transaction(() -> write(keyed));
        received.incrementAndGet();
    }

    /**
     * Keeps a document soon, without waiting for it to be written: for what arrives by UDP, which no sender waits
     * for, so a burst of datagrams is committed together instead of one write each.
     */
    public void putSoon(ObjectNode document, Consumer<Throwable> failed) {
        Keyed keyed = keyed(document);
        // Counted once committed, so a reader who sees the count sees the document.
        store.later(() -> write(keyed), failed).thenRun(received::incrementAndGet);
    }

    private record Keyed(String traceId, String id, double start, ObjectNode document) {
    }

    private static Keyed keyed(ObjectNode document) {
        String traceId = document.path("trace_id").asText(null);
        String id = document.path("id").asText(null);
        if (traceId == null || id == null) {
            throw new IllegalArgumentException("A segment document needs trace_id and id: " + document);
        }
        return new Keyed(traceId, id, document.path("start_time").asDouble(), document);
    }

    /** Runs inside a transaction: the document, and the trace's start if this document starts it earlier. */
    private Object write(Keyed keyed) {
        documents.put(keyed.traceId() + "/" + keyed.id(), keyed.traceId(), XRayTime.millis(keyed.start()),
                keyed.document());
        Optional<TraceStart> known = starts.get(keyed.traceId(), TraceStart.class);
        if (known.isEmpty() || keyed.start() < known.get().start()) {
            starts.put(keyed.traceId(), "", XRayTime.millis(keyed.start()), new TraceStart(keyed.traceId(),
                    keyed.start()));
        }
        return null;
    }

    /** How many documents have been kept (committed) since the cloud started, counting replacements. */
    public long documentCount() {
        return received.get();
    }

    public List<String> traceIds() {
        return starts.all(TraceStart.class).stream().map(Records.Entry::key).toList();
    }

    /** The traces whose earliest segment started in the window, both ends included, oldest first. */
    public List<String> traceIdsStartedIn(Instant from, Instant to) {
        double first = XRayTime.seconds(from);
        double last = XRayTime.seconds(to);
        return starts.between(XRayTime.millis(first), XRayTime.millis(last) + 1, TraceStart.class).stream()
                .map(Records.Entry::value)
                .filter(trace -> trace.start() >= first && trace.start() <= last)
                .map(TraceStart::traceId).toList();
    }

    /**
     * The trace's segments, each with the independent subsegments that name it (or one of its subsegments) as parent
     * nested where they belong, ordered by start time.
     */
    public Optional<List<ObjectNode>> segments(String traceId) {
        return Optional.ofNullable(segments(List.of(traceId)).get(traceId));
    }

    /** The segments of each of the traces, as {@link #segments(String)} gives them, read together; unknown ones left out. */
    public Map<String, List<ObjectNode>> segments(List<String> traceIds) {
        Map<String, List<ObjectNode>> traces = new LinkedHashMap<>();
        Map<String, List<Records.Entry<ObjectNode>>> stored = documents.inScopes(traceIds, ObjectNode.class);
        for (String traceId : traceIds) {
            List<Records.Entry<ObjectNode>> documentsOfTrace = stored.get(traceId);
            if (documentsOfTrace != null) {
                traces.put(traceId, assemble(documentsOfTrace));
            }
        }
        return traces;
    }

    private static List<ObjectNode> assemble(List<Records.Entry<ObjectNode>> stored) {
        Map<String, ObjectNode> copies = new LinkedHashMap<>();
        stored.stream().map(Records.Entry::value)
                .sorted(Comparator.comparingDouble(document -> document.path("start_time").asDouble()))
                .forEach(document -> copies.put(document.path("id").asText(), document));
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
        return segments;
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
