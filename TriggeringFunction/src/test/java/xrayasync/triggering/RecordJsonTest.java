package xrayasync.triggering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** The functions' JSON: records written as their readers expect them, values read as the payload checks expect them. */
class RecordJsonTest {

    record Sample(String zeta, int alpha, String absent, boolean flag) {
    }

    @Test
    void aRecordIsWrittenWithItsComponentsInDeclarationOrderNullsIncluded() throws IOException {
        assertEquals("{\"zeta\":\"z\",\"alpha\":1,\"absent\":null,\"flag\":true}",
                new String(RecordJson.write(new Sample("z", 1, null, true)), StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() throws IOException {
        assertEquals(Map.of("a", 2), new HashMap<>(RecordJson.CODEC.mapFrom("{\"a\":1,\"a\":2}")));
    }

    @Test
    void aValueIsQuotedAsJsonText() {
        assertEquals("\"x\"", RecordJson.text("x"));
        assertEquals("[1,null]", RecordJson.text(Arrays.asList(1, null)));
        assertEquals("null", RecordJson.text(null));
    }

    @Test
    void onlyJsonWhitespaceIsAnEmptyPayload() {
        assertTrue(RecordJson.isEmpty(" \t\r\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(RecordJson.isEmpty(new byte[0]));
        assertFalse(RecordJson.isEmpty(" {} ".getBytes(StandardCharsets.UTF_8)));
        assertFalse(RecordJson.isEmpty("\u2003".getBytes(StandardCharsets.UTF_8)), "not JSON whitespace");
    }

    @Test
    void numbersAreReadAsTheSmallestJavaTypeThatHoldsThem() throws IOException {
        assertEquals(List.of(2, 3000000000L, 1.5), RecordJson.CODEC.anyFrom("[2, 3000000000, 1.5]"));
    }
}
