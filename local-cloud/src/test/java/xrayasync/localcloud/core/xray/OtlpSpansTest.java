package xrayasync.localcloud.core.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP spans as X-Ray shows them: the handler's SERVER span as a segment, AWS SDK calls as aws subsegments. */
class OtlpSpansTest {

    static final String TRACE_HEX = "6743a1b20123456789abcdef01234567";
    static final String FUNCTION_SEGMENT = "53995c3f42cd8ad8";
    static final String SERVER_SPAN = "1111111111111111";
    static final String S3_SPAN = "2222222222222222";

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attribute(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static Span.Builder span(String id, String parent, Span.SpanKind kind, String name) {
        return Span.newBuilder().setTraceId(bytes(TRACE_HEX)).setSpanId(bytes(id)).setParentSpanId(bytes(parent))
                .setKind(kind).setName(name)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_250_000_000L);
    }

    static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    /** A handler's span with the caller annotations, and its S3 ListBuckets call. */
    static ExportTraceServiceRequest handlerWithS3Call() {
        AnyValue indexed = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("caller_trace_id"))).build();
        Span server = span(SERVER_SPAN, FUNCTION_SEGMENT, Span.SpanKind.SPAN_KIND_SERVER, "handler")
                .addAttributes(attribute("caller_trace_id", "1-6743a1b2-aaaaaaaaaaaaaaaaaaaaaaaa"))
                .addAttributes(KeyValue.newBuilder().setKey("aws.xray.annotations").setValue(indexed))
                .addAttributes(attribute("faas.invocation_id", "req-1")).build();
        Span s3 = span(S3_SPAN, SERVER_SPAN, Span.SpanKind.SPAN_KIND_CLIENT, "S3.ListBuckets")
                .addAttributes(attribute("rpc.system", "aws-api"))
                .addAttributes(attribute("rpc.service", "S3"))
                .addAttributes(attribute("rpc.method", "ListBuckets"))
                .addAttributes(attribute("aws.request_id", "R1"))
                .addAttributes(attribute("http.response.status_code", 200)).build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "callee")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(server).addSpans(s3))).build();
    }

    private static final List<ObjectNode> DOCUMENTS = OtlpSpans.toSegments(handlerWithS3Call());

    @Test
    void traceIdTakesXRaysForm() {
        assertEquals("1-6743a1b2-0123456789abcdef01234567", DOCUMENTS.getFirst().path("trace_id").asText());
    }

    @Test
    void serverSpanIsASegmentNamedForTheServiceUnderItsRemoteParent() {
        ObjectNode server = DOCUMENTS.getFirst();

        assertEquals(SERVER_SPAN, server.path("id").asText());
        assertEquals(FUNCTION_SEGMENT, server.path("parent_id").asText());
        assertEquals("callee", server.path("name").asText());
        assertFalse(server.has("type"), "a segment, not a subsegment");
        assertEquals(1_700_000_000.0, server.path("start_time").asDouble(), 1e-6);
        assertEquals(1_700_000_000.25, server.path("end_time").asDouble(), 1e-6);
    }

    @Test
    void attributesListedForIndexingBecomeAnnotationsTheRestMetadata() {
        ObjectNode server = DOCUMENTS.getFirst();

        assertEquals("1-6743a1b2-aaaaaaaaaaaaaaaaaaaaaaaa", server.path("annotations").path("caller_trace_id").asText());
        assertEquals("req-1", server.path("metadata").path("default").path("faas.invocation_id").asText());
        assertFalse(server.path("metadata").path("default").has("aws.xray.annotations"));
    }

    @Test
    void awsSdkCallIsAnAwsSubsegmentNamedForTheService() {
        ObjectNode s3 = DOCUMENTS.get(1);

        assertEquals("subsegment", s3.path("type").asText());
        assertEquals(SERVER_SPAN, s3.path("parent_id").asText());
        assertEquals("S3", s3.path("name").asText());
        assertEquals("aws", s3.path("namespace").asText());
        assertEquals("ListBuckets", s3.path("aws").path("operation").asText());
        assertEquals("R1", s3.path("aws").path("request_id").asText());
        assertEquals(200, s3.path("http").path("response").path("status").asInt());
    }

    @Test
    void errorStatusWithAServerErrorIsAFaultWithItsException() {
        Span failed = span(S3_SPAN, SERVER_SPAN, Span.SpanKind.SPAN_KIND_CLIENT, "S3.ListBuckets")
                .addAttributes(attribute("rpc.system", "aws-api")).addAttributes(attribute("rpc.service", "S3"))
                .addAttributes(attribute("rpc.method", "ListBuckets"))
                .addAttributes(attribute("http.response.status_code", 503))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .addEvents(Span.Event.newBuilder().setName("exception")
                        .addAttributes(attribute("exception.type", "S3Exception"))
                        .addAttributes(attribute("exception.message", "Slow Down"))).build();

        ObjectNode document = OtlpSpans.toSegments(ExportTraceServiceRequest.newBuilder().addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(failed))).build()).getFirst();

        assertTrue(document.path("fault").asBoolean());
        assertEquals("S3Exception", document.path("cause").path("exceptions").get(0).path("type").asText());
    }
}
