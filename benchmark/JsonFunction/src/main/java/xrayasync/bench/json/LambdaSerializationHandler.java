package xrayasync.bench.json;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/** The JSON work with aws-lambda-java-serialization, the library the Java runtime binds POJO handlers' events with. */
public final class LambdaSerializationHandler extends JsonWork {

    @SuppressWarnings("rawtypes")
    private static final PojoSerializer<Map> READER = JacksonFactory.getInstance().getSerializer(Map.class);
    private static final PojoSerializer<Summary> WRITER = JacksonFactory.getInstance().getSerializer(Summary.class);

    @Override
    @SuppressWarnings("unchecked")
    Payload read(byte[] event) {
        return Payload.of(READER.fromJson(new ByteArrayInputStream(event)));
    }

    @Override
    byte[] write(Summary summary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WRITER.toJson(summary, out);
        return out.toByteArray();
    }
}
