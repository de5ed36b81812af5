package xrayasync.bench.json;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/** The JSON work with the AWS SDK's own JSON (json-utils over its shaded jackson-core), which every client carries. */
public final class SdkJsonHandler extends JsonWork {

    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    @Override
    Payload read(byte[] event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        PARSER.parse(event).asObject().forEach((name, value) -> fields.put(name, value(value)));
        return Payload.of(fields);
    }

    private static Object value(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Integer.valueOf(node.asNumber());
        }
        return node.isString() ? node.asString() : node;
    }

    @Override
    byte[] write(Summary summary) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("callerRequestId");
        json.writeValue(summary.callerRequestId());
        json.writeFieldName("callerTraceHeader");
        if (summary.callerTraceHeader() == null) {
            json.writeNull();
        } else {
            json.writeValue(summary.callerTraceHeader());
        }
        json.writeFieldName("bucketCount");
        json.writeValue(summary.bucketCount());
        json.writeFieldName("asyncHopMillis");
        json.writeValue(summary.asyncHopMillis());
        json.writeFieldName("requestId");
        json.writeValue(summary.requestId());
        json.writeEndObject();
        return json.getBytes();
    }
}
