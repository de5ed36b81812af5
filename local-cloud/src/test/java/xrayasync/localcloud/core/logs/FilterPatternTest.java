package xrayasync.localcloud.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.http.ServiceException;

/** CloudWatch Logs' filter pattern syntax, as FilterLogEvents applies it to each event's message. */
class FilterPatternTest {

    private static final String REPORT = "{\"type\":\"platform.report\",\"record\":{\"status\":\"success\","
            + "\"metrics\":{\"durationMs\":812.5,\"maxMemoryUsedMB\":97},\"tags\":[\"cold\",\"arm64\"]}}";

    private static boolean matches(String pattern, String message) {
        return FilterPattern.parse(pattern).matches(message);
    }

    @Test
    void noPatternMatchesEveryEvent() {
        assertTrue(matches(null, "anything"));
        assertTrue(matches("  ", "anything"));
    }

    @Test
    void everyTermMustAppearCaseSensitively() {
        assertTrue(matches("ERROR timeout", "ERROR: request timeout"));
        assertFalse(matches("ERROR timeout", "ERROR: request failed"));
        assertFalse(matches("error", "ERROR: request failed"));
    }

    @Test
    void aQuotedPhraseMustAppearWhole() {
        assertTrue(matches("\"Task timed out\"", "2026 id Task timed out after 2.00 seconds"));
        assertFalse(matches("\"Task timed out\"", "Task was not timed out"));
    }

    @Test
    void oneOfTheQuestionMarkedTermsMustAppear() {
        assertTrue(matches("?ERROR ?WARN", "WARN slow"));
        assertFalse(matches("?ERROR ?WARN", "INFO fine"));
    }

    @Test
    void aMinusTermExcludesEventsThatHaveIt() {
        assertTrue(matches("START -Version:", "START RequestId: 1"));
        assertFalse(matches("START -Version:", "START RequestId: 1 Version: $LATEST"));
    }

    @Test
    void jsonEqualityOnANestedString() {
        assertTrue(matches("{ $.type = \"platform.report\" }", REPORT));
        assertTrue(matches("{ $.record.status = \"success\" }", REPORT));
        assertFalse(matches("{ $.record.status = \"error\" }", REPORT));
        assertTrue(matches("{ $.record.status != \"error\" }", REPORT));
    }

    @Test
    void jsonWildcardsInStrings() {
        assertTrue(matches("{ $.type = \"platform.*\" }", REPORT));
        assertTrue(matches("{ $.type = \"*report\" }", REPORT));
        assertFalse(matches("{ $.type = \"function*\" }", REPORT));
    }

    @Test
    void jsonNumericComparisons() {
        assertTrue(matches("{ $.record.metrics.durationMs > 800 }", REPORT));
        assertTrue(matches("{ $.record.metrics.maxMemoryUsedMB <= 97 }", REPORT));
        assertFalse(matches("{ $.record.metrics.maxMemoryUsedMB < 97 }", REPORT));
        assertTrue(matches("{ $.record.metrics.maxMemoryUsedMB = 97 }", REPORT));
    }

    @Test
    void jsonArrayIndexes() {
        assertTrue(matches("{ $.record.tags[1] = \"arm64\" }", REPORT));
        assertFalse(matches("{ $.record.tags[0] = \"arm64\" }", REPORT));
    }

    @Test
    void jsonAndOrWithParentheses() {
        assertTrue(matches("{ ($.type = \"platform.start\") || ($.record.metrics.durationMs > 500 && "
                + "$.record.status = \"success\") }", REPORT));
        assertFalse(matches("{ $.type = \"platform.report\" && $.record.status = \"error\" }", REPORT));
    }

    @Test
    void jsonExistenceAndNullTests() {
        assertTrue(matches("{ $.record.tracing NOT EXISTS }", REPORT));
        assertFalse(matches("{ $.record NOT EXISTS }", REPORT));
        assertTrue(matches("{ $.value IS NULL }", "{\"value\":null}"));
        assertTrue(matches("{ $.cold IS TRUE }", "{\"cold\":true}"));
        assertTrue(matches("{ $.cold IS FALSE }", "{\"cold\":false}"));
    }

    @Test
    void aJsonPatternMatchesNoTextLine() {
        assertFalse(matches("{ $.type = \"platform.report\" }", "REPORT RequestId: 1 Duration: 2 ms"));
    }

    @Test
    void aMalformedPatternIsRefusedWithTheReason() {
        ServiceException refused = assertThrows(ServiceException.class, () -> FilterPattern.parse("{ $.a > \"x\" }"));

        assertEquals("InvalidParameterException", refused.errorCode());
        assertTrue(refused.getMessage().contains("strings are compared with = and != only"), refused.getMessage());
    }

    @Test
    void spaceDelimitedPatternsAreRefusedSayingWhatIsEvaluated() {
        ServiceException refused = assertThrows(ServiceException.class, () -> FilterPattern.parse("[ip, user]"));

        assertTrue(refused.getMessage().contains("does not evaluate space-delimited"), refused.getMessage());
    }
}
