package xrayasync.localcloud.core.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.core.arn.FunctionArn;

/**
 * One AWS::Serverless::Function as the stack would run it: names resolved, Globals merged, intrinsics evaluated.
 *
 * @param alias the AutoPublishAlias name, or null
 * @param asyncConfig the EventInvokeConfig, Lambda's defaults where the template declares none
 * @param logGroup the log group Lambda writes to: LoggingConfig.LogGroup, or /aws/lambda/ and the name
 * @param snapStartApplyOn SnapStart.ApplyOn: PublishedVersions or None
 * @param role the execution role's ARN: the template's, or the one SAM creates as {@code <LogicalId>Role}
 * @param tags the template's Tags
 */
public record FunctionDefinition(
        String logicalId,
        String name,
        FunctionArn arn,
        Path codeDirectory,
        String handler,
        String runtime,
        int memoryMb,
        int timeoutSeconds,
        TracingMode tracing,
        String logFormat,
        Map<String, String> environment,
        String alias,
        AsyncConfig asyncConfig,
        String description,
        List<String> architectures,
        String logGroup,
        String snapStartApplyOn,
        String role,
        Map<String, String> tags) {

    public FunctionDefinition {
        environment = Map.copyOf(environment);
        architectures = List.copyOf(architectures);
        tags = Map.copyOf(tags);
    }

    /** Lambda's X-Ray tracing modes. */
    public enum TracingMode { ACTIVE, PASS_THROUGH }

    /**
     * What Lambda does with an event it could not deliver.
     *
     * @param onFailureQueue the ARN of the on-failure SQS destination, or null
     */
    public record AsyncConfig(int maximumRetryAttempts, int maximumEventAgeSeconds, String onFailureQueue) {

        /** Lambda's defaults: two retries, six hours, no destination. */
        public static final AsyncConfig DEFAULT = new AsyncConfig(2, 21_600, null);
    }
}
