package xrayasync.localcloud.core.protocol;

import java.lang.reflect.InvocationTargetException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.protocols.core.OperationInfo;

/**
 * One operation of a service as the AWS SDK models it: its name, its HTTP binding (method and URI template, target,
 * API version) and its request and response classes.
 */
public record Operation(String name, OperationInfo binding, Class<? extends SdkRequest> requestType,
        Class<? extends SdkResponse> responseType) {

    /** A new, empty builder of this operation's request. */
    SdkPojo requestBuilder() {
        return builderOf(requestType);
    }

    static SdkPojo builderOf(Class<?> modelType) {
        try {
            return (SdkPojo) modelType.getMethod("builder").invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException notAModel) {
            throw new IllegalStateException(modelType + " is not an AWS SDK model class", notAModel);
        }
    }
}
