package xrayasync.localcloud.core.template;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.arn.FunctionArn;

/** The functions and queues a SAM template declares, resolved the way CloudFormation would deploy them. */
public final class StackDefinition {

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}]+)}");
    /** What {@code !Ref AWS::NoValue} stands for: the property, list element or variable it is given to is left out. */
    private static final Object NO_VALUE = new Object();
    // The version AutoPublishAlias points its alias at in a freshly deployed stack.
    public static final String PUBLISHED_VERSION = "1";

    private final String stackName;
    private final String region;
    private final String account;
    private final URI queueEndpoint;
    private final SamTemplate template;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Boolean> conditions = new LinkedHashMap<>();
    private final Map<String, FunctionDefinition> functions = new LinkedHashMap<>();

    private StackDefinition(SamTemplate template, String stackName, String region, String account,
            URI queueEndpoint) {
        this.template = template;
        this.stackName = stackName;
        this.region = region;
        this.account = account;
        this.queueEndpoint = queueEndpoint;
    }

    /** Where a function's code is, as a folder, given its CodeUri: a path, or an {@code s3://bucket/key} location. */
    @FunctionalInterface
    public interface CodeLocator {
        Path locate(String codeUri);

        /** CodeUri as a path under the template's folder. */
        static CodeLocator under(Path templateDirectory) {
            return codeUri -> templateDirectory.resolve(codeUri).normalize();
        }
    }

    /**
     * Resolves a template as a stack with the given name, region, account and parameter overrides.
     *
     * @param templateDirectory where CodeUri folders are found
     */
    public static StackDefinition resolve(SamTemplate template, Path templateDirectory, String stackName,
            String region, String account, Map<String, String> parameterOverrides) {
        return resolve(template, CodeLocator.under(templateDirectory), stackName, region, account, parameterOverrides);
    }

    /** Resolves a template as a stack, its functions' code where the locator says (a deployed stack's, from S3). */
    public static StackDefinition resolve(SamTemplate template, CodeLocator code, String stackName, String region,
            String account, Map<String, String> parameterOverrides) {
        return resolve(template, code, URI.create("https://sqs." + region + ".amazonaws.com"), stackName, region,
                account, parameterOverrides);
    }

    /**
     * Resolves a template as a stack whose queues are reached at the given endpoint (SQS's own in AWS; a local cloud's
     * edge, so that the queue URLs the stack's outputs give lead clients there).
     */
    public static StackDefinition resolve(SamTemplate template, CodeLocator code, URI queueEndpoint, String stackName,
            String region, String account, Map<String, String> parameterOverrides) {
        StackDefinition stack = new StackDefinition(template, stackName, region, account, queueEndpoint);
        stack.resolveParameters(parameterOverrides);
        stack.template.conditions().keySet().forEach(name -> stack.condition(name, new ArrayList<>()));
        for (String logicalId : stack.existingFunctionIds()) {
            stack.functions.put(logicalId, stack.resolveFunction(logicalId, code));
        }
        return stack;
    }

    /**
     * This stack with some of its functions as another template declares them under the same logical ids, resolved
     * as the same stack (a team migrating one function at a time deploys exactly such a mix).
     */
    public StackDefinition withFunctionsFrom(StackDefinition other, Set<String> logicalIds) {
        StackDefinition mixed = new StackDefinition(template, stackName, region, account, queueEndpoint);
        mixed.parameters.putAll(parameters);
        mixed.conditions.putAll(conditions);
        functions.forEach((logicalId, function) -> mixed.functions.put(logicalId,
                logicalIds.contains(logicalId) ? other.function(logicalId) : function));
        return mixed;
    }

    public String region() {
        return region;
    }

    public String stackName() {
        return stackName;
    }

    /** The stack's ARN; its id part is derived from the stack's name, region and account. */
    public String stackId() {
        return "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + stackName + "/"
                + UUID.nameUUIDFromBytes((region + "/" + account + "/" + stackName).getBytes(StandardCharsets.UTF_8));
    }

    public SamTemplate template() {
        return template;
    }

    /** The parameters' values: overrides, else defaults. */
    public Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    /**
     * The stack's resources after the SAM transform, in template order: each serverless function becomes the
     * function, its role (unless the template gives one), a version and an alias for AutoPublishAlias, and its
     * EventInvokeConfig; every other resource is itself.
     */
    public List<ResourceDefinition> resources() {
        List<ResourceDefinition> resources = new ArrayList<>();
        template.resources().forEach((logicalId, declaration) -> {
            if (!exists(logicalId)) {
                return;
            }
            String type = resourceType(logicalId);
            if (!type.equals(SamTemplate.FUNCTION_TYPE)) {
                resources.add(new ResourceDefinition(logicalId, type, switch (type) {
                    case "AWS::SQS::Queue", "AWS::Logs::LogGroup", "AWS::S3::Bucket",
                            "AWS::Lambda::EventSourceMapping", "AWS::SNS::Topic", "AWS::Events::EventBus",
                            "AWS::Events::Rule" -> reference(logicalId);
                    default -> generatedName(logicalId);
                }));
                return;
            }
            FunctionDefinition function = function(logicalId);
            resources.add(new ResourceDefinition(logicalId, "AWS::Lambda::Function", function.name()));
            if (!template.functionProperties(logicalId).containsKey("Role")) {
                resources.add(new ResourceDefinition(logicalId + "Role", "AWS::IAM::Role",
                        generatedName(logicalId + "Role")));
            }
            if (function.alias() != null) {
                resources.add(new ResourceDefinition(logicalId + "Version" + versionHash(function), "AWS::Lambda::Version",
                        function.arn().qualified(PUBLISHED_VERSION).toString()));
                resources.add(new ResourceDefinition(logicalId + "Alias" + function.alias(), "AWS::Lambda::Alias",
                        function.arn().qualified(function.alias()).toString()));
            }
            if (template.functionProperties(logicalId).containsKey("EventInvokeConfig")) {
                resources.add(new ResourceDefinition(logicalId + "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig",
                        generatedName(logicalId + "EventInvokeConfig")));
            }
        });
        return resources;
    }

    /** SAM names a function's version after a hash of its code and settings; ten hex digits of one here. */
    private static String versionHash(FunctionDefinition function) {
        return UUID.nameUUIDFromBytes((function.codeDirectory() + function.handler() + function.environment())
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").substring(0, 10);
    }

    /** The template's Outputs with their values resolved. */
    public List<StackOutput> outputs() {
        List<StackOutput> outputs = new ArrayList<>();
        template.outputs().forEach((key, declaration) -> {
            Map<String, Object> output = SamTemplate.map(declaration);
            if (output.containsKey("Condition") && !condition(String.valueOf(output.get("Condition")),
                    new ArrayList<>())) {
                return;
            }
            outputs.add(new StackOutput(key, text(output.get("Value")),
                    output.get("Description") == null ? null : String.valueOf(output.get("Description"))));
        });
        return outputs;
    }

    public String account() {
        return account;
    }

    public List<FunctionDefinition> functions() {
        return List.copyOf(functions.values());
    }

    public FunctionDefinition function(String logicalId) {
        FunctionDefinition function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("template.yaml declares no function " + logicalId
                    + "; it declares " + functions.keySet() + ".");
        }
        return function;
    }

    /** The name CloudFormation would give a resource of this stack (without its random suffix). */
    public String physicalName(String logicalId) {
        return stackName + "-" + logicalId;
    }

    public FunctionArn functionArn(String logicalId) {
        return FunctionArn.of(region, account, physicalName(logicalId));
    }

    /** A bucket's name: its BucketName, or the lower-case name CloudFormation makes (bucket names have no capitals). */
    public String bucketName(String logicalId) {
        return Optional.ofNullable(template.properties(logicalId).get("BucketName")).map(this::text)
                .orElse(generatedName(logicalId).toLowerCase(Locale.ROOT));
    }

    /** A queue's name: its QueueName, or the name CloudFormation makes. */
    public String queueName(String logicalId) {
        return Optional.ofNullable(template.properties(logicalId).get("QueueName")).map(this::text)
                .orElse(physicalName(logicalId));
    }

    public String queueArn(String logicalId) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueName(logicalId);
    }

    /** A queue's URL, on the stack's queue endpoint: {@code <endpoint>/<account>/<name>}, as SQS forms it. */
    public String queueUrl(String logicalId) {
        return queueEndpoint.resolve("/" + account + "/" + queueName(logicalId)).toString();
    }

    /** A topic's name: its TopicName, or the name CloudFormation makes. */
    public String topicName(String logicalId) {
        return Optional.ofNullable(template.properties(logicalId).get("TopicName")).map(this::text)
                .orElse(physicalName(logicalId));
    }

    public String topicArn(String logicalId) {
        return "arn:aws:sns:" + region + ":" + account + ":" + topicName(logicalId);
    }

    /** An event bus's name: its Name, which AWS::Events::EventBus requires. */
    public String eventBusName(String logicalId) {
        Object name = template.properties(logicalId).get("Name");
        if (name == null) {
            throw new IllegalArgumentException(logicalId + " (AWS::Events::EventBus) has no Name; give it one.");
        }
        return text(name);
    }

    /** A rule's name: its Name, or the name CloudFormation makes, cut to EventBridge's 64 characters. */
    public String ruleName(String logicalId) {
        return Optional.ofNullable(template.properties(logicalId).get("Name")).map(this::text)
                .orElseGet(() -> {
                    String generated = generatedName(logicalId);
                    return generated.length() <= 64 ? generated : generated.substring(generated.length() - 64);
                });
    }

    /** The bus a rule is on: its EventBusName, a name or a bus ARN, or the default bus. */
    public String ruleBusName(String logicalId) {
        Object declared = template.properties(logicalId).get("EventBusName");
        if (declared == null || evaluate(declared) == NO_VALUE) {
            return "default";
        }
        String bus = text(declared);
        return bus.startsWith("arn:") ? bus.substring(bus.indexOf(":event-bus/") + ":event-bus/".length()) : bus;
    }

    /** A rule's ARN: {@code rule/<name>} on the default bus, {@code rule/<bus>/<name>} on a custom one. */
    public String ruleArn(String logicalId) {
        String bus = ruleBusName(logicalId);
        return "arn:aws:events:" + region + ":" + account + ":rule/" + (bus.equals("default") ? "" : bus + "/")
                + ruleName(logicalId);
    }

    /** An event source mapping's UUID: random in Lambda, here derived from the stack and the logical id. */
    public String eventSourceMappingId(String logicalId) {
        return UUID.nameUUIDFromBytes((stackId() + "/" + logicalId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void resolveParameters(Map<String, String> overrides) {
        template.parameters().forEach((name, declaration) -> {
            Map<String, Object> parameter = SamTemplate.map(declaration);
            String value = overrides.containsKey(name) ? overrides.get(name)
                    : parameter.get("Default") == null ? null : String.valueOf(parameter.get("Default"));
            if (value == null) {
                throw new IllegalArgumentException("Parameter " + name + " has no Default; give it a value.");
            }
            Object allowed = parameter.get("AllowedValues");
            if (allowed instanceof List<?> values && !values.stream().map(String::valueOf).toList().contains(value)) {
                throw new IllegalArgumentException("Parameter " + name + " is '" + value + "'; allowed: " + values + ".");
            }
            parameters.put(name, value);
        });
        overrides.keySet().stream().filter(name -> !parameters.containsKey(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("template.yaml has no parameter " + name + "; it has "
                    + parameters.keySet() + ".");
        });
    }

    private FunctionDefinition resolveFunction(String logicalId, CodeLocator code) {
        Map<String, Object> properties = template.functionProperties(logicalId);
        String name = physicalName(logicalId);
        Map<String, String> environment = new LinkedHashMap<>();
        Optional.ofNullable(properties.get("Environment"))
                .map(value -> SamTemplate.map(value).get("Variables"))
                .ifPresent(variables -> SamTemplate.map(variables).forEach(
                        (variable, value) -> {
                            if (evaluate(value) != NO_VALUE) {
                                environment.put(variable, text(value));
                            }
                        }));
        String logFormat = Optional.ofNullable(properties.get("LoggingConfig"))
                .map(value -> SamTemplate.map(value).get("LogFormat"))
                .map(this::text).orElse("Text");
        String tracing = properties.containsKey("Tracing") ? text(properties.get("Tracing")) : "PassThrough";
        String logGroup = Optional.ofNullable(properties.get("LoggingConfig"))
                .map(value -> SamTemplate.map(value).get("LogGroup"))
                .map(this::text).orElse("/aws/lambda/" + name);
        Map<String, String> tags = new LinkedHashMap<>();
        Optional.ofNullable(properties.get("Tags"))
                .ifPresent(declared -> SamTemplate.map(declared).forEach((key, value) -> tags.put(key, text(value))));
        return new FunctionDefinition(
                logicalId,
                name,
                functionArn(logicalId),
                code.locate(codeUri(logicalId, properties.get("CodeUri"))),
                text(properties.get("Handler")),
                text(properties.get("Runtime")),
                properties.containsKey("MemorySize") ? Integer.parseInt(text(properties.get("MemorySize"))) : 128,
                properties.containsKey("Timeout") ? Integer.parseInt(text(properties.get("Timeout"))) : 3,
                switch (tracing) {
                    case "Active" -> FunctionDefinition.TracingMode.ACTIVE;
                    case "PassThrough", "Disabled" -> FunctionDefinition.TracingMode.PASS_THROUGH;
                    default -> throw new IllegalArgumentException(logicalId + " has Tracing '" + tracing
                            + "'; Lambda knows Active and PassThrough.");
                },
                logFormat,
                environment,
                properties.containsKey("AutoPublishAlias") ? text(properties.get("AutoPublishAlias")) : null,
                asyncConfig(properties.get("EventInvokeConfig")),
                properties.containsKey("Description") ? text(properties.get("Description")) : null,
                properties.get("Architectures") instanceof List<?> declared
                        ? declared.stream().map(this::text).toList() : List.of("x86_64"),
                logGroup,
                Optional.ofNullable(properties.get("SnapStart"))
                        .map(value -> SamTemplate.map(value).get("ApplyOn")).map(this::text).orElse("None"),
                properties.containsKey("Role") ? text(properties.get("Role"))
                        : "arn:aws:iam::" + account + ":role/" + generatedName(logicalId + "Role"),
                tags);
    }

    /** A CodeUri as text: a path, an s3:// URL, or SAM's {Bucket, Key} map written as the URL it stands for. */
    private String codeUri(String logicalId, Object declared) {
        if (declared == null) {
            throw new IllegalArgumentException(logicalId + " has no CodeUri.");
        }
        if (declared instanceof Map<?, ?> location && !SamTemplate.isIntrinsic(location)) {
            return "s3://" + text(location.get("Bucket")) + "/" + text(location.get("Key"));
        }
        return text(declared);
    }

    /**
     * What a resource's settings come to, resolved: equal for a resource that a deployment would leave as it is. The
     * resources SAM makes of a function change with the function.
     */
    public String fingerprint(ResourceDefinition resource) {
        for (FunctionDefinition function : functions.values()) {
            boolean madeOfIt = !template.resources().containsKey(resource.logicalId())
                    && resource.logicalId().startsWith(function.logicalId());
            if (resource.logicalId().equals(function.logicalId()) || madeOfIt) {
                return function.toString();
            }
        }
        return resource.type() + resolvedProperties(resource.logicalId());
    }

    /** A declared resource's Properties with every intrinsic function evaluated. */
    public Map<String, Object> resolvedProperties(String logicalId) {
        return SamTemplate.map(resolvedDeeply(template.properties(logicalId)));
    }

    /** A serverless function's Properties, Globals merged, with every intrinsic function evaluated. */
    public Map<String, Object> resolvedFunctionProperties(String logicalId) {
        return SamTemplate.map(resolvedDeeply(template.functionProperties(logicalId)));
    }

    private Object resolvedDeeply(Object declared) {
        Object value = chosen(declared);
        if (value instanceof Map<?, ?> map && !SamTemplate.isIntrinsic(map)) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            SamTemplate.map(map).forEach((key, member) -> {
                Object memberValue = resolvedDeeply(member);
                if (memberValue != NO_VALUE) {
                    resolved.put(key, memberValue);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::resolvedDeeply).filter(member -> member != NO_VALUE).toList();
        }
        return evaluate(value);
    }

    /** The branch an Fn::If takes, however deeply nested; any other value as it is. */
    private Object chosen(Object value) {
        Object current = value;
        while (current instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::If") instanceof List<?> branches) {
            if (branches.size() != 3) {
                throw new IllegalArgumentException("Fn::If takes [condition, value if true, value if false]; the"
                        + " template gives " + branches + ".");
            }
            current = condition(String.valueOf(branches.get(0)), new ArrayList<>()) ? branches.get(1)
                    : branches.get(2);
        }
        return current;
    }

    /** Whether a resource is part of the stack: it has no Condition, or its condition is true. */
    public boolean exists(String logicalId) {
        Object declared = template.resources().get(logicalId);
        if (declared == null) {
            return false;
        }
        Object condition = SamTemplate.map(declared).get("Condition");
        return condition == null || condition(String.valueOf(condition), new ArrayList<>());
    }

    private List<String> existingFunctionIds() {
        return template.functionIds().stream().filter(this::exists).toList();
    }

    /**
     * A condition's value, evaluated once from the parameters (Fn::Equals, Fn::Not, Fn::And, Fn::Or and other
     * conditions by name, as CloudFormation's condition functions allow).
     *
     * @param evaluating the conditions being evaluated, to refuse a condition that depends on itself
     */
    private boolean condition(String name, List<String> evaluating) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Object declared = template.conditions().get(name);
        if (declared == null) {
            throw new IllegalArgumentException("The template uses condition " + name + ", which its Conditions"
                    + " section does not declare; it declares " + template.conditions().keySet() + ".");
        }
        if (evaluating.contains(name)) {
            throw new IllegalArgumentException("Condition " + name + " depends on itself through " + evaluating + ".");
        }
        evaluating.add(name);
        boolean value = truth(declared, evaluating);
        evaluating.remove(name);
        conditions.put(name, value);
        return value;
    }

    private boolean truth(Object declared, List<String> evaluating) {
        if (!(declared instanceof Map<?, ?> map) || map.size() != 1) {
            throw new IllegalArgumentException("A condition is Fn::Equals, Fn::Not, Fn::And, Fn::Or or a Condition"
                    + " reference; the template gives " + declared + ".");
        }
        Map.Entry<?, ?> function = map.entrySet().iterator().next();
        Object argument = function.getValue();
        return switch (String.valueOf(function.getKey())) {
            case "Condition" -> condition(String.valueOf(argument), evaluating);
            case "Fn::Equals" -> {
                List<?> pair = (List<?>) argument;
                yield text(pair.get(0)).equals(text(pair.get(1)));
            }
            case "Fn::Not" -> !truth(((List<?>) argument).getFirst(), evaluating);
            case "Fn::And" -> ((List<?>) argument).stream().allMatch(member -> truth(member, evaluating));
            case "Fn::Or" -> ((List<?>) argument).stream().anyMatch(member -> truth(member, evaluating));
            default -> throw new IllegalArgumentException("The local cloud does not evaluate " + function.getKey()
                    + " in a condition; it evaluates Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition.");
        };
    }

    /** Whether the template asks CloudFormation to keep a resource when the stack is deleted. */
    public boolean retainedOnDelete(ResourceDefinition resource) {
        Object declared = template.resources().get(resource.logicalId());
        return declared != null && "Retain".equals(SamTemplate.map(declared).get("DeletionPolicy"));
    }

    /**
     * The name CloudFormation gives a resource it names itself: the stack's name, the logical id and a suffix of 12
     * upper-case letters and digits (random in CloudFormation; here derived from both names, so a stack gets the
     * same names each time it is resolved).
     */
    public String generatedName(String logicalId) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder suffix = new StringBuilder();
        long seed = UUID.nameUUIDFromBytes((stackName + "/" + logicalId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits() & Long.MAX_VALUE;
        for (int i = 0; i < 12; i++) {
            suffix.append(alphabet.charAt((int) (seed % alphabet.length())));
            seed /= alphabet.length();
        }
        return stackName + "-" + logicalId + "-" + suffix;
    }

    private FunctionDefinition.AsyncConfig asyncConfig(Object declared) {
        if (declared == null) {
            return FunctionDefinition.AsyncConfig.DEFAULT;
        }
        Map<String, Object> config = SamTemplate.map(declared);
        String queue = Optional.ofNullable(config.get("DestinationConfig"))
                .map(destinations -> SamTemplate.map(destinations).get("OnFailure"))
                .map(onFailure -> SamTemplate.map(onFailure).get("Destination"))
                .map(this::destinationQueue)
                .orElse(null);
        return new FunctionDefinition.AsyncConfig(
                config.containsKey("MaximumRetryAttempts")
                        ? Integer.parseInt(text(config.get("MaximumRetryAttempts")))
                        : FunctionDefinition.AsyncConfig.DEFAULT.maximumRetryAttempts(),
                config.containsKey("MaximumEventAgeInSeconds")
                        ? Integer.parseInt(text(config.get("MaximumEventAgeInSeconds")))
                        : FunctionDefinition.AsyncConfig.DEFAULT.maximumEventAgeSeconds(),
                queue);
    }

    private String destinationQueue(Object destination) {
        if (destination instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> target
                && "AWS::SQS::Queue".equals(SamTemplate.map(template.resources().get(String.valueOf(target.get(0))))
                        .get("Type"))) {
            return queueArn(String.valueOf(target.get(0)));
        }
        throw new IllegalArgumentException("The local cloud keeps on-failure events for SQS queues of the stack"
                + " (!GetAtt Queue.Arn); the template names " + destination + ".");
    }

    /** Evaluates a template value to the text CloudFormation would put in its place. */
    String text(Object value) {
        Object resolved = evaluate(value);
        if (resolved == NO_VALUE) {
            throw new IllegalArgumentException("AWS::NoValue stands where a value is required.");
        }
        if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
            throw new IllegalArgumentException("Expected a single value, got " + resolved + ".");
        }
        return String.valueOf(resolved);
    }

    private Object evaluate(Object declared) {
        Object value = chosen(declared);
        if (value instanceof List<?> list) {
            List<Object> evaluated = new ArrayList<>();
            list.forEach(item -> evaluated.add(evaluate(item)));
            return evaluated;
        }
        if (!(value instanceof Map<?, ?> map) || !SamTemplate.isIntrinsic(map)) {
            return value;
        }
        Map.Entry<?, ?> intrinsic = map.entrySet().iterator().next();
        Object argument = intrinsic.getValue();
        return switch (String.valueOf(intrinsic.getKey())) {
            case "Ref" -> "AWS::NoValue".equals(argument) ? NO_VALUE : reference(String.valueOf(argument));
            case "Fn::GetAtt" -> {
                List<?> target = (List<?>) evaluate(argument);
                yield attribute(String.valueOf(target.get(0)), String.valueOf(target.get(1)));
            }
            case "Fn::Sub" -> substitute(argument);
            case "Fn::Join" -> {
                List<?> join = (List<?>) argument;
                yield String.join(String.valueOf(join.get(0)),
                        ((List<?>) evaluate(join.get(1))).stream().map(String::valueOf).toList());
            }
            default -> throw new IllegalArgumentException("The local cloud does not evaluate " + intrinsic.getKey()
                    + "; it evaluates Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::If.");
        };
    }

    private String substitute(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> pair) {
            text = String.valueOf(pair.get(0));
            variables = SamTemplate.map(pair.get(1));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUBSTITUTION.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String expression = matcher.group(1);
            String replacement;
            if (expression.startsWith("!")) {
                replacement = "${" + expression.substring(1) + "}";
            } else if (variables.containsKey(expression)) {
                replacement = text(variables.get(expression));
            } else if (expression.contains(".") && !expression.endsWith(".Alias")) {
                int dot = expression.indexOf('.');
                replacement = attribute(expression.substring(0, dot), expression.substring(dot + 1));
            } else {
                replacement = reference(expression);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private String reference(String name) {
        switch (name) {
            case "AWS::Region": return region;
            case "AWS::AccountId": return account;
            case "AWS::StackName": return stackName;
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            default: break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (name.endsWith(".Alias")) {
            String function = name.substring(0, name.length() - ".Alias".length());
            Object alias = template.functionProperties(function).get("AutoPublishAlias");
            if (alias == null) {
                throw new IllegalArgumentException(name + " needs AutoPublishAlias on " + function + ".");
            }
            return functionArn(function).qualified(text(alias)).toString();
        }
        String type = resourceType(name);
        if (!exists(name)) {
            throw new IllegalArgumentException("The template refers to " + name + ", whose condition is false in"
                    + " this stack, so it does not exist: put the reference under the same condition (Fn::If).");
        }
        return switch (type) {
            case SamTemplate.FUNCTION_TYPE -> physicalName(name);
            case "AWS::Logs::LogGroup" -> Optional.ofNullable(template.properties(name).get("LogGroupName"))
                    .map(this::text).orElse(generatedName(name));
            case "AWS::S3::Bucket" -> bucketName(name);
            case "AWS::IAM::Role" -> Optional.ofNullable(template.properties(name).get("RoleName"))
                    .map(this::text).orElse(generatedName(name));
            case "AWS::SQS::Queue" -> queueUrl(name);
            case "AWS::Lambda::EventSourceMapping" -> eventSourceMappingId(name);
            case "AWS::SNS::Topic" -> topicArn(name);
            case "AWS::Events::EventBus" -> eventBusName(name);
            // CloudFormation's Ref of a rule on a custom bus names both, as the rule is known only on its bus.
            case "AWS::Events::Rule" -> ruleBusName(name).equals("default") ? ruleName(name)
                    : ruleBusName(name) + "|" + ruleName(name);
            default -> throw new IllegalArgumentException("The local cloud cannot resolve !Ref " + name + " (" + type + ").");
        };
    }

    private String attribute(String resource, String attribute) {
        String type = resourceType(resource);
        return switch (type + "." + attribute) {
            case SamTemplate.FUNCTION_TYPE + ".Arn" -> functionArn(resource).toString();
            case "AWS::SQS::Queue.Arn" -> queueArn(resource);
            case "AWS::SQS::Queue.QueueName" -> queueName(resource);
            case "AWS::SQS::Queue.QueueUrl" -> queueUrl(resource);
            case "AWS::SNS::Topic.TopicArn" -> topicArn(resource);
            case "AWS::SNS::Topic.TopicName" -> topicName(resource);
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + bucketName(resource);
            case "AWS::S3::Bucket.DomainName" -> bucketName(resource) + ".s3.amazonaws.com";
            case "AWS::Events::EventBus.Arn" -> "arn:aws:events:" + region + ":" + account + ":event-bus/"
                    + eventBusName(resource);
            case "AWS::Events::EventBus.Name" -> eventBusName(resource);
            case "AWS::Events::Rule.Arn" -> ruleArn(resource);
            default -> throw new IllegalArgumentException("The local cloud cannot resolve !GetAtt " + resource + "."
                    + attribute + " (" + type + ").");
        };
    }

    private String resourceType(String logicalId) {
        Object resource = template.resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml refers to " + logicalId + ", which it does not declare.");
        }
        return String.valueOf(SamTemplate.map(resource).get("Type"));
    }

    @Override
    public String toString() {
        return "stack " + stackName + " in " + region.toLowerCase(Locale.ROOT) + " with " + functions.keySet();
    }
}
