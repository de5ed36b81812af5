package xrayasync.localcloud.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The trace header EventBridge hands a target ("Amazon EventBridge integration with AWS X-Ray"): the entry's
 * TraceHeader over the request's X-Amzn-Trace-Id, a header X-Ray would not accept dropped, and none with neither.
 */
class TraceHeaderChoiceTest {

    private static final String ENTRY = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final String HTTP = "Root=1-5759e988-00000000e1be46a994272793;Parent=0000000042cd8ad8;Sampled=1";

    @Test
    void theEntrysHeaderWinsOverTheHttpOne() {
        assertEquals(ENTRY, EventsService.traceHeader(ENTRY, HTTP).toString());
    }

    @Test
    void theHttpHeaderIsUsedWhenTheEntryHasNone() {
        assertEquals(HTTP, EventsService.traceHeader(null, HTTP).toString());
        assertEquals(HTTP, EventsService.traceHeader(" ", HTTP).toString());
    }

    /** The sources say an invalid header is dropped; they do not say what replaces it, so the next one given does. */
    @Test
    void aHeaderWithoutAValidRootIsDroppedAndTheEventStillGoesWithTheNextOrNone() {
        assertEquals(HTTP, EventsService.traceHeader("Root=not-a-trace;Sampled=1", HTTP).toString());
        assertNull(EventsService.traceHeader("Parent=53995c3f42cd8ad8", null).root());
        assertEquals("", EventsService.traceHeader(null, null).toString());
    }
}
