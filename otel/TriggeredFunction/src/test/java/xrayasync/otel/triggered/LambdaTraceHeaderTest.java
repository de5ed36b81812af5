package xrayasync.otel.triggered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** How a function reads the X-Ray trace header Lambda hands it. */
class LambdaTraceHeaderTest {

    private static final String TRACE_ID = "1-6743a1b2-0123456789abcdef01234567";

    @AfterEach
    void clearTheInvocationsHeader() {
        System.clearProperty(LambdaTraceHeader.PROPERTY);
    }

    @Test
    void readsEveryFieldOfALambdaHeader() {
        LambdaTraceHeader header = LambdaTraceHeader.parse(
                "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1");

        assertEquals(Map.of("Root", TRACE_ID, "Parent", "53995c3f42cd8ad8", "Sampled", "1", "Lineage", "a87bd80c:1"),
                header.fields());
        assertEquals(TRACE_ID, header.traceId());
        assertEquals("a87bd80c:1", header.field("Lineage"));
    }

    @Test
    void aRootOnlyHeaderHasATraceIdAndNoParent() {
        LambdaTraceHeader header = LambdaTraceHeader.parse("Root=" + TRACE_ID);

        assertEquals(TRACE_ID, header.traceId());
        assertNull(header.field("Parent"));
    }

    @Test
    void aMalformedRootIsNoTraceId() {
        assertNull(LambdaTraceHeader.parse("Root=1-6743a1b2-0123;Sampled=1").traceId());
        assertNull(LambdaTraceHeader.parse("Root=2-6743a1b2-0123456789abcdef01234567").traceId());
        assertNull(LambdaTraceHeader.parse("Sampled=1").traceId());
    }

    @Test
    void theTraceIdIsInLowerCase() {
        assertEquals(TRACE_ID, LambdaTraceHeader.parse("Root=" + TRACE_ID.toUpperCase()).traceId());
    }

    @Test
    void malformedFieldsAreSkipped() {
        LambdaTraceHeader header = LambdaTraceHeader.parse("garbage;;=;Sampled; Root = " + TRACE_ID + " ");

        assertEquals(Map.of("Root", TRACE_ID), header.fields());
    }

    @Test
    void noHeaderHasNoFields() {
        LambdaTraceHeader header = LambdaTraceHeader.parse(null);

        assertEquals(Map.of(), header.fields());
        assertNull(header.traceId());
    }

    @Test
    void theRunningInvocationsHeaderComesFromTheJavaRuntimesProperty() {
        System.setProperty(LambdaTraceHeader.PROPERTY, "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=0");

        assertEquals(TRACE_ID, LambdaTraceHeader.current().traceId());
        assertEquals("0", LambdaTraceHeader.current().field("Sampled"));
    }

    @Test
    void withoutAnInvocationHeaderTheCurrentOneIsEmpty() {
        // The build excludes _X_AMZN_TRACE_ID from the test environment, as the Java runtime leaves it unset.
        assertEquals(Map.of(), LambdaTraceHeader.current().fields());
    }
}
