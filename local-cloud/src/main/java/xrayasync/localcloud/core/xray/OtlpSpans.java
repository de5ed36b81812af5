package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OTLP spans turned into X-Ray segment documents the way X-Ray's OTLP ingestion and the OpenTelemetry collector's
 * X-Ray exporter translate them (opentelemetry-collector-contrib, exporter/awsxrayexporter/internal/translator:
 * segment.go, aws.go, http.go, cause.go): ids converted ({@code 1-<8 hex>-<24 hex>} trace ids, span ids as they are),
 * a SERVER span as a segment under its remote parent (in Lambda, the function's segment), every other span as a
 * subsegment; AWS SDK calls ({@code rpc.system = aws-api}) as {@code aws} subsegments named for the service, with the
 * operation, request id and HTTP status; the attributes listed in {@code aws.xray.annotations} as annotations, the
 * rest as metadata; an error status as a fault (5xx or no status) or an error (4xx), exception events as the cause.
 */
public final class OtlpSpans {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ANNOTATION_KEYS = "aws.xray.annotations";

    private OtlpSpans() {
    }

    /** The X-Ray documents of every span in one export request. */
    public static List<ObjectNode> toSegments(ExportTraceServiceRequest request) {
        List<ObjectNode> documents = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = attribute(resourceSpans.getResource(), "service.name");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    documents.add(document(span, service));
                }
            }
        }
        return documents;
    }

    private static ObjectNode document(Span span, String service) {
        Map<String, AnyValue> attributes = attributes(span.getAttributesList());
        ObjectNode document = JSON.createObjectNode();
        document.put("id", HEX.formatHex(span.getSpanId().toByteArray()));
        document.put("trace_id", traceId(span.getTraceId()));
        if (!span.getParentSpanId().isEmpty()) {
            document.put("parent_id", HEX.formatHex(span.getParentSpanId().toByteArray()));
        }
        boolean awsCall = "aws-api".equals(text(attributes.get("rpc.system")));
        if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
            document.put("name", service != null ? service : span.getName());
        } else {
            document.put("type", "subsegment");
            document.put("name", awsCall ? text(attributes.get("rpc.service")) : span.getName());
            if (awsCall) {
                document.put("namespace", "aws");
            } else if (span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT) {
                document.put("namespace", "remote");
            }
        }
        document.put("start_time", span.getStartTimeUnixNano() / 1e9);
        document.put("end_time", span.getEndTimeUnixNano() / 1e9);
        if (awsCall) {
            ObjectNode aws = document.putObject("aws");
            aws.put("operation", text(attributes.get("rpc.method")));
            putIfPresent(aws, "request_id", attributes.get("aws.request_id"));
            putIfPresent(aws, "function_name", attributes.get("aws.lambda.function.name"));
        }
        Long status = httpStatus(attributes);
        if (status != null) {
            document.putObject("http").putObject("response").put("status", status);
        }
        markFailure(document, span, status);
        annotationsAndMetadata(document, attributes);
        return document;
    }

    private static void markFailure(ObjectNode document, Span span, Long status) {
        if (span.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
            return;
        }
        document.put(status != null && status >= 400 && status < 500 ? "error" : "fault", true);
        ArrayNode exceptions = JSON.createArrayNode();
        for (Span.Event event : span.getEventsList()) {
            if (event.getName().equals("exception")) {
                Map<String, AnyValue> fields = attributes(event.getAttributesList());
                ObjectNode exception = exceptions.addObject();
                putIfPresent(exception, "type", fields.get("exception.type"));
                putIfPresent(exception, "message", fields.get("exception.message"));
            }
        }
        if (!exceptions.isEmpty()) {
            document.putObject("cause").set("exceptions", exceptions);
        }
    }

    private static void annotationsAndMetadata(ObjectNode document, Map<String, AnyValue> attributes) {
        Set<String> indexed = new HashSet<>();
        AnyValue keys = attributes.get(ANNOTATION_KEYS);
        if (keys != null) {
            keys.getArrayValue().getValuesList().forEach(key -> indexed.add(key.getStringValue()));
        }
        ObjectNode annotations = JSON.createObjectNode();
        ObjectNode metadata = JSON.createObjectNode();
        attributes.forEach((key, value) -> {
            if (key.equals(ANNOTATION_KEYS)) {
                return;
            }
            if (indexed.contains(key)) {
                // X-Ray annotation keys are letters, digits and underscores; the translator replaces the rest.
                annotations.put(key.replaceAll("[^A-Za-z0-9_]", "_"), text(value));
            } else {
                metadata.put(key, text(value));
            }
        });
        if (!annotations.isEmpty()) {
            document.set("annotations", annotations);
        }
        if (!metadata.isEmpty()) {
            document.putObject("metadata").set("default", metadata);
        }
    }

    private static Long httpStatus(Map<String, AnyValue> attributes) {
        AnyValue status = attributes.getOrDefault("http.response.status_code", attributes.get("http.status_code"));
        return status == null ? null : status.getIntValue();
    }

    /** The X-Ray form of an OTLP trace id: version 1, the first 8 hex digits (the start time), the other 24. */
    static String traceId(ByteString traceId) {
        String hex = HEX.formatHex(traceId.toByteArray());
        return "1-" + hex.substring(0, 8) + "-" + hex.substring(8);
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
        Map<String, AnyValue> attributes = new LinkedHashMap<>();
        keyValues.forEach(keyValue -> attributes.put(keyValue.getKey(), keyValue.getValue()));
        return attributes;
    }

    private static String attribute(Resource resource, String key) {
        return text(attributes(resource.getAttributesList()).get(key));
    }

    private static void putIfPresent(ObjectNode target, String field, AnyValue value) {
        if (value != null) {
            target.put(field, text(value));
        }
    }

    private static String text(AnyValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpSpans::text).toList().toString();
            default -> value.toString();
        };
    }
}
