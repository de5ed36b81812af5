package xrayasync.localcloud.harness.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** A trace's segments drawn as a tree with offsets and durations, the way X-Ray's timeline lays them out. */
public final class TraceTree {

    private record Node(String id, String parentId, String name, String kind, double start, double end,
            String details, List<Node> children) {
    }

    private TraceTree() {
    }

    /** Renders the segment documents of one trace; every entity appears once, under its parent where known. */
    public static String render(List<JsonNode> segments) {
        List<Node> all = new ArrayList<>();
        List<Node> tops = new ArrayList<>();
        for (JsonNode segment : segments) {
            tops.add(node(segment, segment.path("parent_id").asText(null), all));
        }
        Map<String, Node> byId = new HashMap<>();
        all.forEach(node -> byId.put(node.id(), node));
        List<Node> roots = new ArrayList<>();
        for (Node top : tops) {
            Node parent = top.parentId() == null ? null : byId.get(top.parentId());
            (parent == null ? roots : parent.children()).add(top);
        }
        double origin = all.stream().mapToDouble(Node::start).min().orElse(0);
        StringBuilder text = new StringBuilder(String.format("%10s %10s  %s%n", "offset", "duration", "segment"));
        roots.sort(Comparator.comparingDouble(Node::start));
        roots.forEach(root -> draw(root, origin, "", text));
        return text.toString();
    }

    private static Node node(JsonNode entity, String parentId, List<Node> all) {
        String kind = entity.hasNonNull("origin") ? entity.path("origin").asText()
                : entity.hasNonNull("namespace") ? entity.path("namespace").asText() : "";
        Node node = new Node(entity.path("id").asText(), parentId, entity.path("name").asText(), kind,
                entity.path("start_time").asDouble(), entity.path("end_time").asDouble(entity.path("start_time")
                .asDouble()), details(entity), new ArrayList<>());
        all.add(node);
        for (JsonNode child : entity.path("subsegments")) {
            node.children().add(node(child, node.id(), all));
        }
        return node;
    }

    private static String details(JsonNode entity) {
        StringJoiner details = new StringJoiner("  ");
        if (entity.path("aws").hasNonNull("operation")) {
            details.add(entity.path("aws").path("operation").asText());
        }
        JsonNode status = entity.path("http").path("response").path("status");
        if (!status.isMissingNode()) {
            details.add("HTTP " + status.asInt());
        }
        if (entity.path("inferred").asBoolean()) {
            details.add("inferred");
        }
        if (entity.path("fault").asBoolean()) {
            details.add("FAULT");
        }
        if (entity.path("error").asBoolean()) {
            details.add("ERROR");
        }
        for (JsonNode link : entity.path("links")) {
            details.add("link→" + link.path("trace_id").asText() + "/" + link.path("id").asText());
        }
        entity.path("annotations").properties().forEach(annotation ->
                details.add(annotation.getKey() + "=" + annotation.getValue().asText()));
        return details.toString();
    }

    private static void draw(Node node, double origin, String indent, StringBuilder text) {
        text.append(String.format("%8.1f ms %8.1f ms  %s%s%s%s%n", (node.start() - origin) * 1000,
                (node.end() - node.start()) * 1000, indent, node.name(),
                node.kind().isEmpty() ? "" : " (" + node.kind() + ")",
                node.details().isEmpty() ? "" : "  " + node.details()));
        node.children().sort(Comparator.comparingDouble(Node::start));
        node.children().forEach(child -> draw(child, origin, indent + "  ", text));
    }
}
