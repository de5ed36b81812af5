package xrayasync.localcloud.core.protocol;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.protocols.core.OperationInfo;

/**
 * A service's operations, read from the AWS SDK's own model of it: the operations of its synchronous client
 * interface, each with the HTTP binding that the SDK's request marshaller carries ({@code SDK_OPERATION_BINDING}).
 * Nothing about a service's wire is written here by hand.
 */
public final class ServiceModel {

    private final String serviceName;
    private final Map<String, Operation> operations;

    private ServiceModel(String serviceName, Map<String, Operation> operations) {
        this.serviceName = serviceName;
        this.operations = operations;
    }

    /**
     * Reads the model of the service whose synchronous client interface is given (LambdaClient, S3Client, …).
     *
     * @param serviceName how the service is named in messages (Lambda, S3, …)
     */
    public static ServiceModel of(Class<?> clientInterface, String serviceName) {
        String servicePackage = clientInterface.getPackageName();
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Method method : clientInterface.getMethods()) {
            if (method.getParameterCount() == 0 || !SdkRequest.class.isAssignableFrom(method.getParameterTypes()[0])) {
                continue;
            }
            Class<? extends SdkRequest> requestType = method.getParameterTypes()[0].asSubclass(SdkRequest.class);
            String name = requestType.getSimpleName().replaceFirst("Request$", "");
            if (!operations.containsKey(name)) {
                operations.put(name, new Operation(name, binding(servicePackage, name), requestType,
                        type(servicePackage + ".model." + name + "Response").asSubclass(SdkResponse.class)));
            }
        }
        return new ServiceModel(serviceName, Map.copyOf(operations));
    }

    private static OperationInfo binding(String servicePackage, String operation) {
        try {
            Field binding = type(servicePackage + ".transform." + operation + "RequestMarshaller")
                    .getDeclaredField("SDK_OPERATION_BINDING");
            binding.setAccessible(true);
            return (OperationInfo) binding.get(null);
        } catch (NoSuchFieldException | IllegalAccessException unexpected) {
            throw new IllegalStateException("The AWS SDK's marshaller of " + operation + " has no operation binding",
                    unexpected);
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException missing) {
            throw new IllegalStateException("The AWS SDK model has no " + name, missing);
        }
    }

    public String serviceName() {
        return serviceName;
    }

    public Optional<Operation> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    public Collection<Operation> operations() {
        return operations.values();
    }
}
