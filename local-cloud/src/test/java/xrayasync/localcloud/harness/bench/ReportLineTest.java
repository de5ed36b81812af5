package xrayasync.localcloud.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** REPORT lines read back as Lambda writes them, cold and warm. */
class ReportLineTest {

    private static final List<String> LOG = List.of(
            "START RequestId: 11111111-1111-1111-1111-111111111111 Version: $LATEST",
            "REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 512.34 ms\tBilled Duration: 1650 ms\t"
                    + "Memory Size: 1024 MB\tMax Memory Used: 98 MB\tInit Duration: 1137.02 ms",
            "REPORT RequestId: 22222222-2222-2222-2222-222222222222\tDuration: 20.50 ms\tBilled Duration: 21 ms\t"
                    + "Memory Size: 1024 MB\tMax Memory Used: 99 MB");

    @Test
    void coldStartReportCarriesTheInitDuration() {
        assertEquals(new ReportLine("11111111-1111-1111-1111-111111111111", 512.34, 98, 1137.02),
                ReportLine.find(LOG, "11111111-1111-1111-1111-111111111111"));
    }

    @Test
    void warmReportHasNoInitDuration() {
        ReportLine warm = ReportLine.find(LOG, "22222222-2222-2222-2222-222222222222");

        assertEquals(20.50, warm.durationMillis());
        assertNull(warm.initDurationMillis());
    }

    @Test
    void missingReportIsAnError() {
        assertThrows(IllegalStateException.class, () -> ReportLine.find(LOG, "33333333-3333-3333-3333-333333333333"));
    }
}
