package xrayasync.localcloud.core.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.RequiredTrait;

/**
 * An operation's place in a REST API: its method and URI template as the SDK's binding gives them
 * ({@code /2015-03-31/functions/{FunctionName}/configuration}, {@code /{Key+}?uploads}) and the query members the
 * model marks required, matched against a request's path and query. A path member the template does not name (S3's Bucket, which the SDK puts in the host or, for a
 * custom endpoint, first in the path) is matched as the path's first segment, as path-style addressing puts it.
 */
final class RestRoute {

    private final Operation operation;
    private final List<String> segments;
    private final Map<String, String> requiredQuery;
    private final List<String> requiredHeaders;

    private RestRoute(Operation operation, List<String> segments, Map<String, String> requiredQuery,
            List<String> requiredHeaders) {
        this.operation = operation;
        this.segments = segments;
        this.requiredQuery = requiredQuery;
        this.requiredHeaders = requiredHeaders;
    }

    static RestRoute of(Operation operation) {
        String template = operation.binding().requestUri() == null ? "" : operation.binding().requestUri();
        int question = template.indexOf('?');
        String path = question < 0 ? template : template.substring(0, question);
        Map<String, String> requiredQuery = new LinkedHashMap<>();
        if (question >= 0) {
            requiredQuery.putAll(QueryString.parse(template.substring(question + 1)).firstValues());
        }
        List<String> segments = new ArrayList<>();
        List<String> requiredHeaders = new ArrayList<>();
        for (SdkField<?> field : operation.requestBuilder().sdkFields()) {
            // Required query and header members tell operations of one template apart: S3's ListParts from GetObject
            // (uploadId), UploadPartCopy from UploadPart (x-amz-copy-source).
            if (field.location() == MarshallLocation.QUERY_PARAM && field.containsTrait(RequiredTrait.class)) {
                requiredQuery.putIfAbsent(field.locationName(), "");
            }
            if (field.location() == MarshallLocation.HEADER && field.containsTrait(RequiredTrait.class)) {
                requiredHeaders.add(field.locationName());
            }
            boolean inPath = field.location() == MarshallLocation.PATH || field.location() == MarshallLocation.GREEDY_PATH;
            if (inPath && !path.contains("{" + field.locationName() + "}") && !path.contains("{" + field.locationName() + "+}")) {
                segments.add("{" + field.locationName() + "}");
            }
        }
        if (!path.isEmpty()) {
            segments.addAll(List.of((path.startsWith("/") ? path.substring(1) : path).split("/", -1)));
        }
        return new RestRoute(operation, List.copyOf(segments), requiredQuery, List.copyOf(requiredHeaders));
    }

    Operation operation() {
        return operation;
    }

    /** How specific the route is: literal segments, required query parameters and headers, to choose among matches. */
    int specificity() {
        return (int) segments.stream().filter(segment -> !segment.startsWith("{")).count() * 2
                + (requiredQuery.size() + requiredHeaders.size()) * 3;
    }

    /**
     * The path variables of a request this route takes, or empty when it does not take it.
     *
     * @param hasHeader whether the request carries a header of the given name
     */
    Optional<Map<String, String>> match(String method, String rawPath, QueryString query, Predicate<String> hasHeader) {
        if (!operation.binding().httpMethod().name().equals(method) || !requiredHeaders.stream().allMatch(hasHeader)) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> required : requiredQuery.entrySet()) {
            String value = query.first(required.getKey());
            if (value == null || (!required.getValue().isEmpty() && !required.getValue().equals(value))) {
                return Optional.empty();
            }
        }
        List<String> parts = new ArrayList<>(List.of((rawPath.startsWith("/") ? rawPath.substring(1) : rawPath)
                .split("/", -1)));
        // "/bucket/" addresses the bucket as "/bucket" does.
        if (parts.size() == segments.size() + 1 && parts.getLast().isEmpty()) {
            parts.removeLast();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.endsWith("+}")) {
                if (i >= parts.size()) {
                    return Optional.empty();
                }
                String rest = String.join("/", parts.subList(i, parts.size()));
                variables.put(segment.substring(1, segment.length() - 2), decode(rest));
                return rest.isEmpty() ? Optional.empty() : Optional.of(variables);
            }
            if (i >= parts.size()) {
                return Optional.empty();
            }
            if (segment.startsWith("{")) {
                if (parts.get(i).isEmpty()) {
                    return Optional.empty();
                }
                variables.put(segment.substring(1, segment.length() - 1), decode(parts.get(i)));
            } else if (!segment.equals(parts.get(i))) {
                return Optional.empty();
            }
        }
        return parts.size() == segments.size() ? Optional.of(variables) : Optional.empty();
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
