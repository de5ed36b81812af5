package xrayasync.bench.json;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/** The JSON work with jackson-jr: Jackson's streaming core with a small object layer, no databind. */
public final class JacksonJrHandler extends JsonWork {

    @Override
    Payload read(byte[] event) throws IOException {
        return Payload.of(JSON.std.mapFrom(event));
    }

    @Override
    byte[] write(Summary summary) throws IOException {
        return JSON.std.asBytes(summary);
    }
}
