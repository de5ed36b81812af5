package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.AnnotationValue;
import software.amazon.awssdk.services.xray.model.BatchGetTracesRequest;
import software.amazon.awssdk.services.xray.model.BatchGetTracesResponse;
import software.amazon.awssdk.services.xray.model.GetServiceGraphRequest;
import software.amazon.awssdk.services.xray.model.GetServiceGraphResponse;
import software.amazon.awssdk.services.xray.model.GetTraceGraphRequest;
import software.amazon.awssdk.services.xray.model.GetTraceGraphResponse;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesRequest;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesResponse;
import software.amazon.awssdk.services.xray.model.Segment;
import software.amazon.awssdk.services.xray.model.Trace;
import software.amazon.awssdk.services.xray.model.TraceSummary;
import software.amazon.awssdk.services.xray.model.ValueWithServiceIds;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.RestProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;

/**
 * X-Ray's read API over the trace store: GetTraceSummaries, BatchGetTraces (with the inferred segments),
 * GetServiceGraph and GetTraceGraph, taking and returning the AWS SDK's model objects.
 */
public final class XRayApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TraceStore store;

    public XRayApi(TraceStore store) {
        this.store = store;
    }

    /** The API on the wire: X-Ray's REST-JSON protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(XRayClient.class, "X-Ray"), RestProtocol.JSON_PAYLOAD)
                .on(GetTraceSummariesRequest.class, (request, context) -> traceSummaries(request))
                .on(BatchGetTracesRequest.class, (request, context) -> traces(request))
                .on(GetServiceGraphRequest.class, (request, context) -> serviceGraph(request))
                .on(GetTraceGraphRequest.class, (request, context) -> traceGraph(request));
    }

    GetTraceSummariesResponse traceSummaries(GetTraceSummariesRequest request) {
        Instant end = required(request.endTime(), "EndTime");
        FilterExpression filter = FilterExpression.parse(request.filterExpression());
        List<TraceSummary> summaries = new ArrayList<>();
        int processed = 0;
        for (Map.Entry<String, List<ObjectNode>> trace : store.segments(store.traceIdsStartedIn(
                required(request.startTime(), "StartTime"), end)).entrySet()) {
            processed++;
            if (filter.matches(trace.getValue())) {
                summaries.add(summary(trace.getKey(), trace.getValue()));
            }
        }
        return GetTraceSummariesResponse.builder().traceSummaries(summaries).approximateTime(end)
                .tracesProcessedCount((long) processed).build();
    }

    GetServiceGraphResponse serviceGraph(GetServiceGraphRequest request) {
        Instant start = required(request.startTime(), "StartTime");
        Instant end = required(request.endTime(), "EndTime");
        ServiceGraph graph = new ServiceGraph();
        store.segments(store.traceIdsStartedIn(start, end)).values().forEach(graph::add);
        return GetServiceGraphResponse.builder().startTime(start).endTime(end).services(graph.services())
                .containsOldGroupVersions(false).build();
    }

    GetTraceGraphResponse traceGraph(GetTraceGraphRequest request) {
        if (!request.hasTraceIds()) {
            throw new ServiceException(400, "InvalidRequestException", "TraceIds is required.");
        }
        ServiceGraph graph = new ServiceGraph();
        store.segments(request.traceIds()).values().forEach(graph::add);
        return GetTraceGraphResponse.builder().services(graph.services()).build();
    }

    BatchGetTracesResponse traces(BatchGetTracesRequest request) {
        List<Trace> traces = new ArrayList<>();
        List<String> unprocessed = new ArrayList<>();
        for (String id : request.traceIds()) {
            Optional<Trace> trace = trace(store, id);
            if (trace.isPresent()) {
                traces.add(trace.get());
            } else {
                unprocessed.add(id);
            }
        }
        return BatchGetTracesResponse.builder().traces(traces).unprocessedTraceIds(unprocessed).build();
    }

    /** A trace as BatchGetTraces returns it: its segment documents and the segments X-Ray infers from them. */
    public static Optional<Trace> trace(TraceStore store, String traceId) {
        return store.segments(traceId).map(segments -> {
            List<ObjectNode> withInferred = new ArrayList<>(segments);
            withInferred.addAll(InferredSegments.of(segments));
            List<Segment> documents = new ArrayList<>();
            for (ObjectNode segment : withInferred) {
                documents.add(Segment.builder().id(segment.path("id").asText()).document(text(segment)).build());
            }
            return Trace.builder().id(traceId).duration(end(segments) - start(segments)).limitExceeded(false)
                    .segments(documents).build();
        });
    }

    private static String text(ObjectNode segment) {
        try {
            return JSON.writeValueAsString(segment);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Instant required(Instant time, String field) {
        if (time == null) {
            throw new ServiceException(400, "InvalidRequestException", field + " is required, in epoch seconds.");
        }
        return time;
    }

    private static double start(List<ObjectNode> segments) {
        return segments.stream().mapToDouble(segment -> segment.path("start_time").asDouble()).min().orElse(0);
    }

    private static double end(List<ObjectNode> segments) {
        return segments.stream().mapToDouble(segment -> segment.path("end_time").asDouble()).max().orElse(0);
    }

    private static TraceSummary summary(String traceId, List<ObjectNode> segments) {
        double traceStart = start(segments);
        Map<String, List<ValueWithServiceIds>> annotations = new LinkedHashMap<>();
        FilterExpression.annotations(segments).forEach((key, values) -> annotations.put(key, values.stream()
                .map(value -> ValueWithServiceIds.builder().annotationValue(AnnotationValue.fromStringValue(value))
                        .build())
                .toList()));
        return TraceSummary.builder()
                .id(traceId)
                .startTime(XRayTime.instant(traceStart))
                .duration(end(segments) - traceStart)
                .responseTime(segments.getFirst().path("end_time").asDouble() - traceStart)
                .hasFault(segments.stream().anyMatch(segment -> segment.path("fault").asBoolean()))
                .hasError(segments.stream().anyMatch(segment -> segment.path("error").asBoolean()))
                .hasThrottle(segments.stream().anyMatch(segment -> segment.path("throttle").asBoolean()))
                .isPartial(false)
                .annotations(annotations)
                .build();
    }
}
