package xrayasync.bench.json;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * TriggeredFunction's JSON work, the same for every library: read the payload's fields into Java values, check them,
 * write a summary. A subclass supplies one library's reading and writing.
 */
public abstract class JsonWork implements RequestStreamHandler {

    /** The payload's fields, checked. */
    record Payload(int schemaVersion, String callerRequestId, String callerFunctionName, String callerTraceHeader,
            Instant sentAt, int bucketCount) {

        /** The payload from the fields a library read, as Integer, String or null values. */
        static Payload of(Map<String, ?> fields) {
            return new Payload(count(fields, "schemaVersion"), text(fields, "callerRequestId"),
                    text(fields, "callerFunctionName"), (String) required(fields, "callerTraceHeader"),
                    Instant.parse(text(fields, "sentAt")), count(fields, "bucketCount"));
        }

        private static Object required(Map<String, ?> fields, String name) {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException("Field '" + name + "' is missing from the payload.");
            }
            return fields.get(name);
        }

        private static String text(Map<String, ?> fields, String name) {
            if (required(fields, name) instanceof String text && !text.isBlank()) {
                return text;
            }
            throw new IllegalArgumentException("Field '" + name + "' must be a non-empty string.");
        }

        private static int count(Map<String, ?> fields, String name) {
            if (required(fields, name) instanceof Integer count && count >= 0) {
                return count;
            }
            throw new IllegalArgumentException("Field '" + name + "' must be a whole number from 0.");
        }
    }

    /** What the handler returns. */
    record Summary(String callerRequestId, String callerTraceHeader, int bucketCount, long asyncHopMillis,
            String requestId) {
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Payload payload = read(input.readAllBytes());
        output.write(write(new Summary(payload.callerRequestId(), payload.callerTraceHeader(), payload.bucketCount(),
                Duration.between(payload.sentAt(), Instant.now()).toMillis(), context.getAwsRequestId())));
    }

    abstract Payload read(byte[] event) throws IOException;

    abstract byte[] write(Summary summary) throws IOException;
}
