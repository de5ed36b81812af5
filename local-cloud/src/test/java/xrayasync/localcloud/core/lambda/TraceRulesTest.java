package xrayasync.localcloud.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.template.FunctionDefinition.TracingMode;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;

/** The trace rules Lambda applies to an invocation. */
class TraceRulesTest {

    private static final String ROOT = "1-6743a1b2-0123456789abcdef01234567";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    private TraceRules rules(int reservoir, double rate) {
        return new TraceRules(new XRayIds(clock, new SplittableRandom(3)), clock, new SplittableRandom(7), reservoir,
                rate);
    }

    @Test
    void activeContinuesASampledHeaderUnderTheCallersParent() {
        TraceDecision decision = rules(0, 0).decide(TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1"),
                TracingMode.ACTIVE);

        assertEquals(ROOT, decision.traceId());
        assertEquals("53995c3f42cd8ad8", decision.callerParentId());
        assertTrue(decision.sampled());
        assertEquals("Root=" + ROOT + ";Parent=aaaaaaaaaaaaaaaa;Sampled=1",
                decision.headerFor("aaaaaaaaaaaaaaaa").toString());
    }

    @Test
    void incomingUnsampledDecisionWinsEvenUnderActive() {
        TraceDecision decision = rules(10, 1).decide(
                TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=0"), TracingMode.ACTIVE);

        assertFalse(decision.sampled());
        assertEquals("Root=" + ROOT + ";Parent=aaaaaaaaaaaaaaaa;Sampled=0",
                decision.headerFor("aaaaaaaaaaaaaaaa").toString());
    }

    @Test
    void noHeaderUnderActiveStartsASampledTraceFromTheReservoir() {
        TraceDecision decision = rules(1, 0).decide(TraceHeader.parse(null), TracingMode.ACTIVE);

        assertTrue(decision.sampled());
        assertNull(decision.callerParentId());
        assertTrue(decision.traceId().matches("1-[0-9a-f]{8}-[0-9a-f]{24}"), decision.traceId());
        assertTrue(decision.traceId().startsWith("1-" + Long.toHexString(clock.millis() / 1000)));
    }

    @Test
    void reservoirTakesItsQuotaPerSecondThenTheFixedRate() {
        TraceRules rules = rules(2, 0);

        assertTrue(rules.decide(TraceHeader.parse(null), TracingMode.ACTIVE).sampled());
        assertTrue(rules.decide(TraceHeader.parse(null), TracingMode.ACTIVE).sampled());
        assertFalse(rules.decide(TraceHeader.parse(null), TracingMode.ACTIVE).sampled());
    }

    @Test
    void activeDecidesARootOnlyHeaderItselfAndStaysInThatTrace() {
        TraceDecision decision = rules(1, 0).decide(TraceHeader.parse("Root=" + ROOT + ";Lineage=a87bd80c:1"),
                TracingMode.ACTIVE);

        assertTrue(decision.sampled());
        assertEquals(ROOT, decision.traceId());
        assertNull(decision.callerParentId());
    }

    @Test
    void passThroughIsNotTracedEvenWhenTheHeaderSaysSampled() {
        TraceDecision decision = rules(10, 1).decide(
                TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1"), TracingMode.PASS_THROUGH);

        assertFalse(decision.sampled());
        assertEquals(ROOT, decision.traceId());
    }

    @Test
    void passThroughFunctionGetsRootAndLineageOnly() {
        TraceDecision decision = rules(10, 1).decide(TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;"
                + "Sampled=1;Lineage=a87bd80c:1"), TracingMode.PASS_THROUGH);

        assertEquals("Root=" + ROOT + ";Lineage=a87bd80c:1", decision.headerFor("aaaaaaaaaaaaaaaa").toString());
    }

    @Test
    void passThroughWithoutHeaderGetsANewRootAndIsNotTraced() {
        TraceDecision decision = rules(10, 1).decide(TraceHeader.parse(null), TracingMode.PASS_THROUGH);

        assertFalse(decision.sampled());
        assertEquals("Root=" + decision.traceId(), decision.headerFor("aaaaaaaaaaaaaaaa").toString());
    }

    @Test
    void fieldsBeyondTheTraceContextArePassedOn() {
        TraceDecision decision = rules(0, 0).decide(TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;"
                + "Sampled=1;Lineage=a87bd80c:1"), TracingMode.ACTIVE);

        assertEquals(Map.of("Lineage", "a87bd80c:1"), decision.extraFields());
        assertTrue(decision.headerFor("aaaaaaaaaaaaaaaa").toString().endsWith(";Sampled=1;Lineage=a87bd80c:1"));
    }
}
