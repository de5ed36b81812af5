package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The wire side of X-Ray's read API over the trace store, in REST-JSON: GetTraceSummaries, BatchGetTraces (with the
 * inferred segments), GetServiceGraph and GetTraceGraph, at the paths of the service model (POST /TraceSummaries,
 * /Traces, /ServiceGraph, /TraceGraph).
 */
public final class XRayReadApi implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPERATIONS = Set.of("/TraceSummaries", "/Traces", "/ServiceGraph", "/TraceGraph");

    private final TraceStore store;

    public XRayReadApi(TraceStore store) {
        this.store = store;
    }

    /** Whether an unsigned request is one of this API's, by its method and path (the console's requests are). */
    public static boolean recognizes(HttpExchange exchange) {
        return exchange.getRequestMethod().equals("POST") && OPERATIONS.contains(exchange.getRequestURI().getPath());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        ObjectNode response = switch (route) {
            case "POST /TraceSummaries" -> traceSummaries(request);
            case "POST /Traces" -> traces(request);
            case "POST /ServiceGraph" -> serviceGraph(request);
            case "POST /TraceGraph" -> traceGraph(request);
            default -> throw new ServiceException(404, "UnknownOperationException", "The local X-Ray API serves"
                    + " GetTraceSummaries, BatchGetTraces, GetServiceGraph and GetTraceGraph; not " + route + ".");
        };
        LoopbackServer.respond(exchange, 200, "application/json", Map.of(), JSON.writeValueAsBytes(response));
    }

    private ObjectNode traceSummaries(JsonNode request) {
        double end = requiredTime(request, "EndTime");
        FilterExpression filter = FilterExpression.parse(request.path("FilterExpression").asText(null));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode summaries = response.putArray("TraceSummaries");
        int processed = 0;
        for (String traceId : tracesStartedIn(requiredTime(request, "StartTime"), end)) {
            List<ObjectNode> segments = store.segments(traceId).orElseThrow();
            processed++;
            if (filter.matches(segments)) {
                summaries.add(summary(traceId, segments, start(segments)));
            }
        }
        response.put("ApproximateTime", end);
        response.put("TracesProcessedCount", processed);
        return response;
    }

    private ObjectNode serviceGraph(JsonNode request) {
        double start = requiredTime(request, "StartTime");
        double end = requiredTime(request, "EndTime");
        ServiceGraph graph = new ServiceGraph();
        tracesStartedIn(start, end).forEach(traceId -> graph.add(store.segments(traceId).orElseThrow()));
        ObjectNode response = JSON.createObjectNode();
        response.put("StartTime", start);
        response.put("EndTime", end);
        response.set("Services", graph.services());
        response.put("ContainsOldGroupVersions", false);
        return response;
    }

    private ObjectNode traceGraph(JsonNode request) {
        if (!request.path("TraceIds").isArray()) {
            throw new ServiceException(400, "InvalidRequestException", "TraceIds is required.");
        }
        ServiceGraph graph = new ServiceGraph();
        request.path("TraceIds").forEach(id -> store.segments(id.asText()).ifPresent(graph::add));
        ObjectNode response = JSON.createObjectNode();
        response.set("Services", graph.services());
        return response;
    }

    private static double requiredTime(JsonNode request, String field) {
        if (!request.path(field).isNumber()) {
            throw new ServiceException(400, "InvalidRequestException", field + " is required, in epoch seconds.");
        }
        return request.path(field).asDouble();
    }

    /** The traces whose first segment started in the window, as X-Ray's default TraceId time range type selects. */
    private List<String> tracesStartedIn(double start, double end) {
        return store.traceIds().stream().filter(traceId -> {
            double traceStart = start(store.segments(traceId).orElseThrow());
            return traceStart >= start && traceStart <= end;
        }).toList();
    }

    private static double start(List<ObjectNode> segments) {
        return segments.stream().mapToDouble(segment -> segment.path("start_time").asDouble()).min().orElse(0);
    }

    private static ObjectNode summary(String traceId, List<ObjectNode> segments, double traceStart) {
        ObjectNode summary = JSON.createObjectNode();
        double traceEnd = segments.stream().mapToDouble(segment -> segment.path("end_time").asDouble()).max().orElse(0);
        summary.put("Id", traceId);
        summary.put("StartTime", traceStart);
        summary.put("Duration", traceEnd - traceStart);
        summary.put("ResponseTime", segments.getFirst().path("end_time").asDouble() - traceStart);
        summary.put("HasFault", segments.stream().anyMatch(segment -> segment.path("fault").asBoolean()));
        summary.put("HasError", segments.stream().anyMatch(segment -> segment.path("error").asBoolean()));
        summary.put("HasThrottle", segments.stream().anyMatch(segment -> segment.path("throttle").asBoolean()));
        summary.put("IsPartial", false);
        ObjectNode annotations = summary.putObject("Annotations");
        FilterExpression.annotations(segments).forEach((key, values) -> {
            ArrayNode entries = annotations.putArray(key);
            values.forEach(value -> entries.addObject().putObject("AnnotationValue").put("StringValue", value));
        });
        return summary;
    }

    private ObjectNode traces(JsonNode request) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode traces = response.putArray("Traces");
        ArrayNode unprocessed = response.putArray("UnprocessedTraceIds");
        for (JsonNode id : request.path("TraceIds")) {
            Optional<List<ObjectNode>> segments = store.segments(id.asText());
            if (segments.isEmpty()) {
                unprocessed.add(id.asText());
                continue;
            }
            ObjectNode trace = traces.addObject();
            trace.put("Id", id.asText());
            double start = segments.get().stream().mapToDouble(s -> s.path("start_time").asDouble()).min().orElse(0);
            double end = segments.get().stream().mapToDouble(s -> s.path("end_time").asDouble()).max().orElse(0);
            trace.put("Duration", end - start);
            trace.put("LimitExceeded", false);
            ArrayNode documents = trace.putArray("Segments");
            List<ObjectNode> withInferred = new ArrayList<>(segments.get());
            withInferred.addAll(InferredSegments.of(segments.get()));
            for (ObjectNode segment : withInferred) {
                documents.addObject().put("Id", segment.path("id").asText())
                        .put("Document", JSON.writeValueAsString(segment));
            }
        }
        return response;
    }
}
