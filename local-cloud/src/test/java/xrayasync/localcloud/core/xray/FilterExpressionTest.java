package xrayasync.localcloud.core.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.http.ServiceException;

/** The filter expressions the local X-Ray API understands, matched against a trace's segments. */
class FilterExpressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> trace = List.of((ObjectNode) JSON.readTree("{\"id\":\"f1\",\"name\":\"fn\","
            + "\"subsegments\":[{\"id\":\"h\",\"name\":\"## handleRequest\",\"annotations\":"
            + "{\"caller_trace_id\":\"1-abc\"}}]}"));

    FilterExpressionTest() throws IOException {
    }

    @Test
    void annotationMatchesWhereverItIsInTheTrace() {
        assertTrue(FilterExpression.parse("annotation.caller_trace_id = \"1-abc\"").matches(trace));
    }

    @Test
    void annotationWithAnotherValueDoesNotMatch() {
        assertFalse(FilterExpression.parse("annotation.caller_trace_id = \"1-other\"").matches(trace));
    }

    @Test
    void clausesJoinedByAndMustAllMatch() {
        assertTrue(FilterExpression.parse("annotation.caller_trace_id = \"1-abc\" AND service(\"fn\")").matches(trace));
        assertFalse(FilterExpression.parse("annotation.caller_trace_id = \"1-abc\" AND service(\"other\")")
                .matches(trace));
    }

    @Test
    void blankExpressionMatchesEveryTrace() {
        assertTrue(FilterExpression.parse(" ").matches(trace));
    }

    @Test
    void unsupportedExpressionIsAnInvalidRequest() {
        ServiceException rejected = assertThrows(ServiceException.class,
                () -> FilterExpression.parse("responsetime > 5"));

        assertEquals(400, rejected.status());
        assertEquals("InvalidRequestException", rejected.errorCode());
        assertTrue(rejected.getMessage().contains("'responsetime > 5'"), rejected.getMessage());
    }
}
