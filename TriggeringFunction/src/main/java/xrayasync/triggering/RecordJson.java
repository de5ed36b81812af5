package xrayasync.triggering;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/**
 * The functions' JSON, through jackson-jr: Jackson's parser with a small object layer, chosen over databind for its
 * cold start (docs/performance.md). Values read are Map, List, String, Integer/Long/BigInteger, Double, Boolean or
 * null.
 */
final class RecordJson {

    // Nulls are written (a null trace header is part of the contract), and a repeated key keeps its last value, as
    // Jackson databind does, rather than failing the whole payload.
    static final JSON CODEC = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES)
            .without(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    private RecordJson() {
    }

    /** The record as a JSON object with its components in declaration order (jackson-jr alone sorts them by name). */
    static byte[] write(Record record) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                fields.put(component.getName(), component.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException unreadable) {
                throw new IllegalStateException("Cannot read " + component + " to write it as JSON.", unreadable);
            }
        }
        return CODEC.asBytes(fields);
    }

    /** Whether the bytes hold no JSON value at all: nothing but JSON's whitespace (RFC 8259), read without decoding. */
    static boolean isEmpty(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The JSON text of a value read, as an error message quotes it. */
    static String text(Object value) {
        try {
            return CODEC.asString(value);
        } catch (IOException unwritable) {
            return String.valueOf(value);
        }
    }
}
