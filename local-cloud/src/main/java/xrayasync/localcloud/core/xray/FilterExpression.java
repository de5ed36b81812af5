package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The part of X-Ray's filter expression language the local cloud understands: {@code annotation.KEY = VALUE} and
 * {@code service("NAME")}, joined by {@code AND}.
 */
public final class FilterExpression {

    private static final Pattern ANNOTATION = Pattern.compile("annotation\\.([A-Za-z0-9_]+)\\s*=\\s*(\"[^\"]*\"|\\S+)");
    private static final Pattern SERVICE = Pattern.compile("service\\(\\s*\"([^\"]+)\"\\s*\\)");

    private final Predicate<List<ObjectNode>> matches;

    private FilterExpression(Predicate<List<ObjectNode>> matches) {
        this.matches = matches;
    }

    /** Parses an expression; null or blank matches every trace. */
    public static FilterExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return new FilterExpression(trace -> true);
        }
        List<Predicate<List<ObjectNode>>> clauses = new ArrayList<>();
        for (String clause : expression.trim().split("(?i)\\s+and\\s+")) {
            Matcher annotation = ANNOTATION.matcher(clause.trim());
            Matcher service = SERVICE.matcher(clause.trim());
            if (annotation.matches()) {
                String key = annotation.group(1);
                String value = annotation.group(2).replaceAll("^\"|\"$", "");
                clauses.add(trace -> annotations(trace).getOrDefault(key, List.of()).contains(value));
            } else if (service.matches()) {
                String name = service.group(1);
                clauses.add(trace -> trace.stream().anyMatch(segment -> name.equals(segment.path("name").asText())));
            } else {
                throw new ServiceException(400, "InvalidRequestException", "The local X-Ray API does not understand '"
                        + clause.trim() + "'; it supports annotation.KEY = \"VALUE\" and service(\"NAME\"), joined by"
                        + " AND.");
            }
        }
        return new FilterExpression(trace -> clauses.stream().allMatch(clause -> clause.test(trace)));
    }

    public boolean matches(List<ObjectNode> segments) {
        return matches.test(segments);
    }

    /** Every annotation in the trace, by key, as text. */
    public static Map<String, List<String>> annotations(List<ObjectNode> segments) {
        Map<String, List<String>> annotations = new TreeMap<>();
        segments.forEach(segment -> collect(segment, annotations));
        return annotations;
    }

    private static void collect(JsonNode entity, Map<String, List<String>> annotations) {
        entity.path("annotations").properties().forEach(annotation ->
                annotations.computeIfAbsent(annotation.getKey(), key -> new ArrayList<>())
                        .add(annotation.getValue().asText()));
        entity.path("subsegments").forEach(child -> collect(child, annotations));
    }
}
