package xrayasync.bench.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/** The JSON work with Jackson databind, as the functions did it: an ObjectMapper built at class load. */
public final class JacksonDatabindHandler extends JsonWork {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    Payload read(byte[] event) throws IOException {
        return Payload.of(JSON.readValue(event, new TypeReference<Map<String, Object>>() { }));
    }

    @Override
    byte[] write(Summary summary) throws IOException {
        return JSON.writeValueAsBytes(summary);
    }
}
