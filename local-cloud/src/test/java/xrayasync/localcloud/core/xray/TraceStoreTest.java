package xrayasync.localcloud.core.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import xrayasync.localcloud.core.store.TemporaryStore;

/** How received segment documents are kept and assembled into a trace. */
class TraceStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "1-6743a1b2-0123456789abcdef01234567";

    @RegisterExtension
    final TemporaryStore temporary = new TemporaryStore();

    private TraceStore store;

    @BeforeEach
    void open() {
        store = new TraceStore(temporary.store());
    }

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
        assertFalse(segments.getFirst().path("subsegments").get(1).has("parent_id"));
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
}
