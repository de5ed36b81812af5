package xrayasync.localcloud.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How received segment documents are kept and assembled, and what the daemon does with bad datagrams. */
class TraceStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "1-6743a1b2-0123456789abcdef01234567";
    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

    private final TraceStore store = new TraceStore();

    private static ObjectNode document(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void independentSubsegmentsNestUnderTheirParentSegment() throws IOException {
        store.put(document("{\"id\":\"f1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"fn\",\"start_time\":1,\"end_time\":3,"
                + "\"subsegments\":[{\"id\":\"inv\",\"name\":\"Invocation\",\"start_time\":1,\"end_time\":2}]}"));
        store.put(document("{\"id\":\"s3\",\"type\":\"subsegment\",\"trace_id\":\"" + TRACE + "\",\"parent_id\":\"f1\","
                + "\"name\":\"S3\",\"start_time\":1.5,\"end_time\":1.7}"));

        List<ObjectNode> segments = store.segments(TRACE).orElseThrow();
        assertEquals(1, segments.size());
        assertEquals(List.of("Invocation", "S3"), List.of(segments.getFirst().path("subsegments").get(0).path("name")
                .asText(), segments.getFirst().path("subsegments").get(1).path("name").asText()));
        assertTrue(!segments.getFirst().path("subsegments").get(1).has("parent_id"));
    }

    @Test
    void subsegmentWhoseParentNeverArrivedStaysVisible() throws IOException {
        store.put(document("{\"id\":\"s3\",\"type\":\"subsegment\",\"trace_id\":\"" + TRACE + "\",\"parent_id\":\"gone\","
                + "\"name\":\"S3\",\"start_time\":1.5,\"end_time\":1.7}"));

        assertEquals("S3", store.segments(TRACE).orElseThrow().getFirst().path("name").asText());
    }

    @Test
    void documentWithoutIdsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.put(document("{\"name\":\"x\"}")));
    }

    @Test
    void daemonCountsMalformedDatagramsAndKeepsGoing() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store)) {
            daemon.accept("no header at all");
            daemon.accept(HEADER + "{not json");
            daemon.accept(HEADER + "{\"name\":\"no ids\"}");
            daemon.accept(HEADER + "{\"id\":\"a1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"ok\",\"start_time\":1}");

            assertEquals(3, daemon.malformedCount());
            assertEquals(1, store.documentCount());
        }
    }

    @Test
    void filterExpressionMatchesAnnotationsAnywhereInTheTrace() throws IOException {
        store.put(document("{\"id\":\"f1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"fn\",\"start_time\":1,"
                + "\"subsegments\":[{\"id\":\"h\",\"name\":\"## handleRequest\",\"annotations\":"
                + "{\"caller_trace_id\":\"1-abc\"}}]}"));
        List<ObjectNode> trace = store.segments(TRACE).orElseThrow();

        assertTrue(FilterExpression.parse("annotation.caller_trace_id = \"1-abc\"").matches(trace));
        assertTrue(FilterExpression.parse("annotation.caller_trace_id = \"1-abc\" AND service(\"fn\")").matches(trace));
        assertTrue(!FilterExpression.parse("annotation.caller_trace_id = \"1-other\"").matches(trace));
        assertThrows(IllegalArgumentException.class, () -> FilterExpression.parse("responsetime > 5"));
    }
}
