package xrayasync.localcloud.core.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.core.store.Store;
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

    @Test
    void aTraceIsThereAfterTheStoreIsOpenedAgain(@TempDir Path folder) throws IOException {
        try (Store first = Store.open(folder)) {
            new TraceStore(first).put(document("{\"id\":\"f1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"fn\","
                    + "\"start_time\":1,\"end_time\":3}"));
        }
        try (Store again = Store.open(folder)) {
            assertEquals("fn", new TraceStore(again).segments(TRACE).orElseThrow().getFirst().path("name").asText());
        }
    }

    @Test
    void aTimeWindowFindsTheTracesThatStartedInIt() throws IOException {
        store.put(document("{\"id\":\"a\",\"trace_id\":\"1-1\",\"start_time\":100.5,\"end_time\":101}"));
        store.put(document("{\"id\":\"b\",\"trace_id\":\"1-2\",\"start_time\":200.25,\"end_time\":201}"));
        store.put(document("{\"id\":\"c\",\"trace_id\":\"1-2\",\"start_time\":99,\"end_time\":201}"));

        assertEquals(List.of("1-2", "1-1"), store.traceIdsStartedIn(Instant.ofEpochSecond(99),
                Instant.ofEpochMilli(100_500)));
        assertEquals(List.of(), store.traceIdsStartedIn(Instant.ofEpochSecond(101), Instant.ofEpochSecond(300)));
    }

    @Test
    void tracesAreKeptThirtyDays() throws IOException {
        long now = Instant.now().getEpochSecond();
        store.put(document("{\"id\":\"old\",\"trace_id\":\"1-old\",\"start_time\":" + (now - 31 * 86_400)
                + ",\"end_time\":" + (now - 31 * 86_400) + "}"));
        store.put(document("{\"id\":\"new\",\"trace_id\":\"1-new\",\"start_time\":" + (now - 29 * 86_400)
                + ",\"end_time\":" + (now - 29 * 86_400) + "}"));

        temporary.store().sweep(Instant.now());

        assertEquals(List.of("1-new"), store.traceIds());
        assertFalse(store.segments("1-old").isPresent());
    }
}
