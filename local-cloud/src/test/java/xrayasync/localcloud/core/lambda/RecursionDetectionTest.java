package xrayasync.localcloud.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.xray.TraceHeader;

/** How Lambda counts a chain's invocations of a function in the Lineage field, and when it stops the chain. */
class RecursionDetectionTest {

    private static final FunctionArn LOOPING = FunctionArn.parse("arn:aws:lambda:us-east-1:123456789012:function:loop");
    private static final FunctionArn OTHER = FunctionArn.parse("arn:aws:lambda:us-east-1:123456789012:function:other");
    private static final String ROOT = "Root=1-6743a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

    private static String lineage(RecursionDetection.Verdict verdict) {
        return verdict.header().otherFields().get("Lineage");
    }

    @Test
    void firstInvocationAddsTheFunctionsEntryAtZero() {
        RecursionDetection.Verdict verdict = RecursionDetection.count(TraceHeader.parse(ROOT), LOOPING);

        assertTrue(lineage(verdict).matches("[0-9a-f]{8}:0"), lineage(verdict));
        assertEquals(1, verdict.invocations());
        assertFalse(verdict.stopped());
    }

    @Test
    void anotherFunctionAppendsItsOwnEntry() {
        String first = lineage(RecursionDetection.count(TraceHeader.parse(ROOT), LOOPING));

        String second = lineage(RecursionDetection.count(TraceHeader.parse(ROOT + ";Lineage=" + first), OTHER));

        assertTrue(second.matches(first + "\\|[0-9a-f]{8}:0"), second);
    }

    @Test
    void qualifiedArnsCountAsTheSameFunction() {
        String first = lineage(RecursionDetection.count(TraceHeader.parse(ROOT), LOOPING.qualified("live")));

        RecursionDetection.Verdict again = RecursionDetection.count(TraceHeader.parse(ROOT + ";Lineage=" + first),
                LOOPING);

        assertEquals(2, again.invocations());
    }

    @Test
    void sixteenInvocationsRunAndTheSeventeenthIsStopped() {
        TraceHeader header = TraceHeader.parse(ROOT);
        for (int invocation = 1; invocation <= RecursionDetection.MAXIMUM_INVOCATIONS; invocation++) {
            RecursionDetection.Verdict verdict = RecursionDetection.count(header, LOOPING);
            assertFalse(verdict.stopped(), "invocation " + invocation);
            header = verdict.header();
        }

        RecursionDetection.Verdict seventeenth = RecursionDetection.count(header, LOOPING);

        assertEquals(17, seventeenth.invocations());
        assertTrue(seventeenth.stopped());
    }

    @Test
    void entriesOfTheNewerUndocumentedFormArePassedOnUntouched() {
        RecursionDetection.Verdict verdict = RecursionDetection.count(TraceHeader.parse(ROOT + ";Lineage=1:037bed70:0"),
                LOOPING);

        assertTrue(lineage(verdict).startsWith("1:037bed70:0|"), lineage(verdict));
    }
}
