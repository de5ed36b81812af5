package xrayasync.bench.bare;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Benchmark baseline: answers without any SDK, so its cold start is the runtime's own. */
public final class BareHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(("{\"requestId\":\"" + context.getAwsRequestId() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
