package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Finds segments and subsegments in a trace's documents, failing with what the trace holds instead. */
final class TraceEntities {

    private TraceEntities() {
    }

    /** The one entity, at any depth, that matches. */
    static JsonNode only(List<? extends JsonNode> segments, Predicate<JsonNode> wanted) {
        List<JsonNode> found = all(segments, wanted);
        assertEquals(1, found.size(), "matching entities in " + segments);
        return found.getFirst();
    }

    /** Every entity, at any depth, that matches. */
    static List<JsonNode> all(List<? extends JsonNode> segments, Predicate<JsonNode> wanted) {
        List<JsonNode> found = new ArrayList<>();
        segments.forEach(segment -> collect(segment, wanted, found));
        return found;
    }

    private static void collect(JsonNode entity, Predicate<JsonNode> wanted, List<JsonNode> found) {
        if (wanted.test(entity)) {
            found.add(entity);
        }
        entity.path("subsegments").forEach(child -> collect(child, wanted, found));
    }

    /** The direct subsegment of that name. */
    static JsonNode child(JsonNode parent, String name) {
        for (JsonNode child : parent.path("subsegments")) {
            if (child.path("name").asText().equals(name)) {
                return child;
            }
        }
        throw new AssertionError(parent.path("name").asText() + " has no subsegment " + name + ": "
                + names(parent.path("subsegments")));
    }

    static List<String> names(JsonNode entities) {
        List<String> names = new ArrayList<>();
        entities.forEach(entity -> names.add(entity.path("name").asText()));
        return names;
    }

    /** A segment of that origin and name. */
    static Predicate<JsonNode> segment(String origin, String name) {
        return entity -> origin.equals(entity.path("origin").asText()) && name.equals(entity.path("name").asText());
    }
}
