package xrayasync.localcloud.core.lambda.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/** A function for runtime contract tests: reports what the runtime handed it, or misbehaves on request. */
public final class ContextProbeHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        if (event.contains("\"throw\"")) {
            throw new IllegalStateException("probe failure on request");
        }
        if (event.contains("\"exit\"")) {
            System.exit(3);
        }
        if (event.contains("\"sleep\"")) {
            try {
                Thread.sleep(Long.parseLong(event.replaceAll("\\D", "")));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        String report = "{" + field("requestId", context.getAwsRequestId())
                + "," + field("invokedFunctionArn", context.getInvokedFunctionArn())
                + "," + field("functionName", context.getFunctionName())
                + "," + field("remainingMillis", Integer.toString(context.getRemainingTimeInMillis()))
                + "," + field("memoryLimit", Integer.toString(context.getMemoryLimitInMB()))
                + "," + field("traceHeader", System.getProperty("com.amazonaws.xray.traceHeader"))
                + "," + field("pid", Long.toString(ProcessHandle.current().pid()))
                + "," + field("workingDirectory", System.getProperty("user.dir"))
                + "," + field("AWS_LAMBDA_FUNCTION_NAME", System.getenv("AWS_LAMBDA_FUNCTION_NAME"))
                + "," + field("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))
                + "," + field("LAMBDA_TASK_ROOT", System.getenv("LAMBDA_TASK_ROOT"))
                + "," + field("AWS_XRAY_DAEMON_ADDRESS", System.getenv("AWS_XRAY_DAEMON_ADDRESS"))
                + "," + field("AWS_REGION", System.getenv("AWS_REGION"))
                + "," + field("GREETING", System.getenv("GREETING"))
                + "," + field("jvmOptions", String.join(" ",
                        ManagementFactory.getRuntimeMXBean().getInputArguments()))
                + "}";
        output.write(report.getBytes(StandardCharsets.UTF_8));
    }

    private static String field(String name, String value) {
        return "\"" + name + "\":" + (value == null ? "null" : "\"" + value.replace("\"", "'") + "\"");
    }
}
