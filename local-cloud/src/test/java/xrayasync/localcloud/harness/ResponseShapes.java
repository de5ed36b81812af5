package xrayasync.localcloud.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Holds the local cloud's answers against what AWS sends for the same calls. A client with {@link #recorder()} records
 * every answer it unmarshalled, by operation, as the SDK's own output shape (or modelled error) read it; the reference,
 * {@code aws-responses/<service>.json} under the test resources, lists per operation the members AWS's answer carries
 * (from AWS's documented examples, botocore's {@code examples-1.json} and responses recorded from AWS, its source
 * named beside it). {@link #missing} lists each member AWS sends that the local cloud's answer lacks.
 *
 * <p>Types need no check of their own: an answer reaches the record only once the SDK has read every member into its
 * modelled type, and a member of the wrong type fails the call. A member path names nested members with dots, a list's
 * elements with {@code []} and a map's values with {@code {}}: {@code Configuration.Environment.Variables{}}.
 * Reference keys are operation names, or {@code Operation!ErrorCode} for an error AWS answers.
 */
final class ResponseShapes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Set<String>> recorded = new ConcurrentHashMap<>();

    /** The interceptor to add to each client whose answers are held against AWS's. */
    ExecutionInterceptor recorder() {
        return new ExecutionInterceptor() {
            @Override
            public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
                record(key(attributes, null), context.response());
            }

            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (context.exception() instanceof AwsServiceException error && error instanceof SdkPojo pojo
                        && error.awsErrorDetails() != null) {
                    record(key(attributes, error.awsErrorDetails().errorCode()), pojo);
                }
            }
        };
    }

    /** The operations answered so far, with {@code Operation!ErrorCode} for errors, of one service's clients. */
    Set<String> recordedOperations(String service) {
        Set<String> operations = new TreeSet<>();
        recorded.keySet().stream().filter(key -> key.startsWith(service + "."))
                .forEach(key -> operations.add(key.substring(service.length() + 1)));
        return operations;
    }

    /** The members an answer carried, in the path form of the reference, merged over every call of the operation. */
    Set<String> members(String service, String operation) {
        return recorded.getOrDefault(service + "." + operation, Set.of());
    }

    /**
     * For each operation of the service's reference, the members AWS sends that no answer recorded here carried; an
     * operation of the reference never called is listed with every member. Empty when the local cloud lacks nothing.
     *
     * @param service the SDK's service name, as the reference file is named (Lambda, S3, CloudFormation, ...)
     */
    Map<String, Set<String>> missing(String service) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        reference(service).forEach((operation, members) -> {
            Set<String> lacking = new TreeSet<>(members);
            lacking.removeAll(members(service, operation));
            if (!lacking.isEmpty()) {
                missing.put(operation, lacking);
            }
        });
        return missing;
    }

    /** The reference's operations and the members AWS sends in each, by operation. */
    static Map<String, Set<String>> reference(String service) {
        String resource = "/aws-responses/" + service + ".json";
        try (InputStream in = ResponseShapes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No reference of " + service + "'s answers: add " + resource
                        + " under local-cloud/src/test/resources.");
            }
            Map<String, Set<String>> operations = new LinkedHashMap<>();
            JsonNode root = JSON.readTree(in);
            root.fields().forEachRemaining(operation -> {
                if (operation.getValue().path("source").asText().isBlank()) {
                    throw new IllegalStateException(resource + " names no source for " + operation.getKey()
                            + ": say where AWS's answer was read (a documented example, botocore, a recording).");
                }
                Set<String> members = new TreeSet<>();
                operation.getValue().path("members").forEach(member -> members.add(member.asText()));
                operations.put(operation.getKey(), members);
            });
            return operations;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** A readable list of what {@link #missing} found, one operation a line. */
    static String describe(Map<String, Set<String>> missing) {
        List<String> lines = new ArrayList<>();
        missing.forEach((operation, members) -> lines.add("  " + operation + ": " + String.join(", ", members)));
        return String.join("\n", lines);
    }

    /** The member paths a modelled object carries, in the reference's form. */
    static Set<String> presentMembers(SdkPojo pojo) {
        Set<String> members = new TreeSet<>();
        collect("", pojo, members);
        return members;
    }

    private void record(String key, SdkPojo answer) {
        recorded.computeIfAbsent(key, unused -> ConcurrentHashMap.newKeySet()).addAll(presentMembers(answer));
    }

    private static String key(ExecutionAttributes attributes, String errorCode) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return service + "." + operation + (errorCode == null ? "" : "!" + errorCode);
    }

    private static void collect(String prefix, SdkPojo pojo, Set<String> members) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value != null) {
                collectValue(prefix + field.memberName(), value, members);
            }
        }
    }

    private static void collectValue(String path, Object value, Set<String> members) {
        // The SDK fills an absent list or map with an auto-construct placeholder; only one read from the wire is sent.
        if (value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
            return;
        }
        members.add(path);
        if (value instanceof SdkPojo nested) {
            collect(path + ".", nested, members);
        } else if (value instanceof Collection<?> elements) {
            elements.forEach(element -> collectValue(path + "[]", element, members));
        } else if (value instanceof Map<?, ?> entries) {
            entries.values().forEach(entry -> collectValue(path + "{}", entry, members));
        }
    }
}
