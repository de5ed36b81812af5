package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.EphemeralStorage;
import software.amazon.awssdk.services.lambda.model.FunctionCodeLocation;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.AddPermissionRequest;
import software.amazon.awssdk.services.lambda.model.AddPermissionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionEventInvokeConfigRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionEventInvokeConfigResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetPolicyRequest;
import software.amazon.awssdk.services.lambda.model.GetPolicyResponse;
import software.amazon.awssdk.services.lambda.model.RemovePermissionRequest;
import software.amazon.awssdk.services.lambda.model.RemovePermissionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ListAliasesRequest;
import software.amazon.awssdk.services.lambda.model.ListAliasesResponse;
import software.amazon.awssdk.services.lambda.model.ListFunctionsRequest;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.ListTagsRequest;
import software.amazon.awssdk.services.lambda.model.ListTagsResponse;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionRequest;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LoggingConfig;
import software.amazon.awssdk.services.lambda.model.OnFailure;
import software.amazon.awssdk.services.lambda.model.SnapStartResponse;
import software.amazon.awssdk.services.lambda.model.TracingConfigResponse;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.RequestContext;
import xrayasync.localcloud.core.protocol.RestProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * Lambda's API over the functions the cloud holds: Invoke (RequestResponse, Event, DryRun; LogType Tail), and the reads
 * SAM CLI, the AWS CLI and the trace check make (GetFunction, GetFunctionConfiguration, ListFunctions, ListTags,
 * GetAlias, ListAliases, ListVersionsByFunction, GetFunctionEventInvokeConfig, GetFunctionUrlConfig), with what the
 * template declares; taking and returning the AWS SDK's model objects.
 */
public final class LambdaApi {

    /** Lambda's payload limits: 6 MB for a synchronous invocation, 1 MB for an event (256 KB until October 2025). */
    static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
    /** Invoke's LogResult holds the last 4 KB of the invocation's log (Lambda API reference, Invoke). */
    static final int LOG_TAIL_BYTES = 4 * 1024;
    private static final String LATEST = "$LATEST";
    private static final ObjectMapper POLICY_JSON = new ObjectMapper();
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final LambdaService service;

    public LambdaApi(LambdaService service) {
        this.service = service;
    }

    /** The API on the wire: Lambda's REST-JSON protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(LambdaClient.class, "Lambda"), RestProtocol.JSON_PAYLOAD)
                .on(InvokeRequest.class, this::invoke)
                .on(GetFunctionRequest.class, (request, context) -> getFunction(request))
                .on(GetFunctionConfigurationRequest.class, (request, context) -> getFunctionConfiguration(request))
                .on(ListFunctionsRequest.class, (request, context) -> listFunctions(request))
                .on(ListTagsRequest.class, (request, context) -> listTags(request))
                .on(GetAliasRequest.class, (request, context) -> getAlias(request))
                .on(ListAliasesRequest.class, (request, context) -> listAliases(request))
                .on(ListVersionsByFunctionRequest.class, (request, context) -> listVersions(request))
                .on(GetFunctionEventInvokeConfigRequest.class, (request, context) -> eventInvokeConfig(request))
                .on(GetFunctionUrlConfigRequest.class, (request, context) -> functionUrl(request))
                .on(AddPermissionRequest.class, (request, context) -> addPermission(request))
                .on(RemovePermissionRequest.class, (request, context) -> removePermission(request))
                .on(GetPolicyRequest.class, (request, context) -> getPolicy(request));
    }

    /** AddPermission: a statement of the function's resource-based policy, which SNS and EventBridge check. */
    AddPermissionResponse addPermission(AddPermissionRequest request) {
        if (!"lambda:InvokeFunction".equals(request.action())) {
            throw new ServiceException(400, "InvalidParameterValueException", "The local cloud emulates"
                    + " lambda:InvokeFunction permissions only, not " + request.action() + ".");
        }
        FunctionArn named = qualifiedTarget(request.functionName(), request.qualifier());
        LambdaService.Permission permission = new LambdaService.Permission(request.statementId(),
                named.functionName(), named.qualifier(), request.principal(), request.sourceArn());
        service.permit(permission);
        return AddPermissionResponse.builder().statement(statement(named, permission).toString()).build();
    }

    RemovePermissionResponse removePermission(RemovePermissionRequest request) {
        FunctionArn named = qualifiedTarget(request.functionName(), request.qualifier());
        if (!service.revoke(named.functionName(), request.statementId())) {
            throw new ServiceException(404, "ResourceNotFoundException", "No policy statement " + request.statementId()
                    + " is found on " + named + ".");
        }
        return RemovePermissionResponse.builder().build();
    }

    GetPolicyResponse getPolicy(GetPolicyRequest request) {
        FunctionArn named = qualifiedTarget(request.functionName(), request.qualifier());
        List<LambdaService.Permission> statements = service.permissions(named.functionName(), named.qualifier());
        if (statements.isEmpty()) {
            throw new ServiceException(404, "ResourceNotFoundException", "The resource you requested does not exist.");
        }
        ObjectNode policy = POLICY_JSON.createObjectNode().put("Version", "2012-10-17").put("Id", "default");
        statements.forEach(permission -> policy.withArray("Statement").add(statement(named, permission)));
        return GetPolicyResponse.builder().policy(policy.toString()).revisionId(Integer.toHexString(
                policy.toString().hashCode())).build();
    }

    private FunctionArn qualifiedTarget(String functionName, String qualifier) {
        FunctionArn named = service.function(functionName).latest().definition().arn();
        FunctionArn given = FunctionArn.fromFunctionName(functionName, named.region(), named.account());
        return named.qualified(given.qualifier() != null ? given.qualifier() : qualifier);
    }

    /** A statement as GetPolicy shows it (Lambda developer guide, "Viewing resource-based IAM policies"). */
    private static ObjectNode statement(FunctionArn function, LambdaService.Permission permission) {
        ObjectNode statement = POLICY_JSON.createObjectNode().put("Sid", permission.statementId())
                .put("Effect", "Allow");
        statement.putObject("Principal").put("Service", permission.principal());
        statement.put("Action", "lambda:InvokeFunction").put("Resource", function.toString());
        if (permission.sourceArn() != null) {
            statement.putObject("Condition").putObject("ArnLike").put("AWS:SourceArn", permission.sourceArn());
        }
        return statement;
    }

    InvokeResponse invoke(InvokeRequest request, RequestContext context) throws InterruptedException, IOException {
        String type = request.invocationTypeAsString() == null ? "RequestResponse" : request.invocationTypeAsString();
        byte[] payload = request.payload() == null ? new byte[0] : request.payload().asByteArray();
        TraceHeader traceHeader = TraceHeader.parse(context.header(TraceHeader.HTTP_HEADER));
        InvocationTarget target = service.resolve(request.functionName(), request.qualifier());
        int limit = type.equals("Event") ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
        if (payload.length > limit) {
            throw new ServiceException(413, "RequestEntityTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the " + type + " invocation type");
        }
        return switch (type) {
            case "Event" -> {
                context.requestId(service.enqueue(target, payload, traceHeader));
                yield InvokeResponse.builder().statusCode(202).build();
            }
            case "DryRun" -> InvokeResponse.builder().statusCode(204).build();
            case "RequestResponse" -> {
                LambdaService.SyncResult result = service.invoke(target, payload, traceHeader);
                context.requestId(result.requestId());
                InvokeResponse.Builder response = InvokeResponse.builder().statusCode(200)
                        .executedVersion(result.version()).payload(SdkBytes.fromByteArray(result.outcome().payload()));
                if (result.outcome().failed()) {
                    response.functionError("Unhandled");
                }
                if ("Tail".equals(request.logTypeAsString())) {
                    response.logResult(tail(result.log()));
                }
                yield response.build();
            }
            default -> throw new ServiceException(400, "InvalidParameterValueException", "X-Amz-Invocation-Type is '"
                    + type + "'; it must be RequestResponse, Event or DryRun.");
        };
    }

    /** The last 4 KB of an invocation's log, base64, as Invoke's LogResult carries it. */
    static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, Math.max(0, bytes.length - LOG_TAIL_BYTES),
                bytes.length));
    }

    GetFunctionResponse getFunction(GetFunctionRequest request) {
        LambdaFunction.Version version = version(request.functionName(), request.qualifier());
        return GetFunctionResponse.builder()
                .configuration(configuration(version))
                .code(FunctionCodeLocation.builder().repositoryType("S3")
                        .location(version.code().directory().toUri().toString()).build())
                .tags(tags(service.function(request.functionName())))
                .build();
    }

    /** The version a FunctionName and Qualifier name: an alias names the version it points at. */
    private LambdaFunction.Version version(String functionName, String qualifier) {
        InvocationTarget target = service.resolve(functionName, qualifier);
        return service.function(functionName).version(target.version()).orElseThrow();
    }

    GetFunctionConfigurationResponse getFunctionConfiguration(GetFunctionConfigurationRequest request) {
        FunctionConfiguration configuration = configuration(version(request.functionName(), request.qualifier()));
        return GetFunctionConfigurationResponse.builder().applyMutation(builder -> copy(configuration, builder))
                .build();
    }

    /** GetFunctionConfiguration answers the FunctionConfiguration shape under another name: the same members. */
    private static void copy(FunctionConfiguration configuration, GetFunctionConfigurationResponse.Builder target) {
        configuration.sdkFields().forEach(field -> target.sdkFields().stream()
                .filter(candidate -> candidate.memberName().equals(field.memberName()))
                .findFirst()
                .ifPresent(candidate -> candidate.set(target, field.getValueOrDefault(configuration))));
    }

    ListFunctionsResponse listFunctions(ListFunctionsRequest request) {
        List<FunctionConfiguration> all = new ArrayList<>();
        for (LambdaFunction function : service.functions()) {
            all.add(configuration(function.latest()));
            if ("ALL".equals(request.functionVersionAsString())) {
                function.published().forEach(version -> all.add(configuration(version)));
            }
        }
        int from = request.marker() == null ? 0 : marker(request.marker(), all.size());
        int to = Math.min(all.size(), from + (request.maxItems() == null ? 50 : Math.max(1, request.maxItems())));
        return ListFunctionsResponse.builder().functions(all.subList(from, to))
                .nextMarker(to < all.size() ? Integer.toString(to) : null).build();
    }

    private static int marker(String marker, int size) {
        try {
            return Math.min(size, Integer.parseInt(marker));
        } catch (NumberFormatException unknown) {
            throw new ServiceException(400, "InvalidParameterValueException", "Invalid Marker: " + marker);
        }
    }

    ListTagsResponse listTags(ListTagsRequest request) {
        FunctionArn arn = FunctionArn.parse(request.resource());
        return ListTagsResponse.builder().tags(tags(service.function(arn.unqualified().toString()))).build();
    }

    /** The tags CloudFormation puts on a stack's function (SAM's lambda:createdBy among them), then the template's. */
    private static Map<String, String> tags(LambdaFunction function) {
        FunctionDefinition definition = function.latest().definition();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("aws:cloudformation:stack-name", function.owner().stackName());
        tags.put("aws:cloudformation:stack-id", function.owner().stackId());
        tags.put("aws:cloudformation:logical-id", definition.logicalId());
        tags.put("lambda:createdBy", "SAM");
        tags.putAll(definition.tags());
        return tags;
    }

    GetAliasResponse getAlias(GetAliasRequest request) {
        LambdaFunction function = service.function(request.functionName());
        if (!request.name().equals(function.alias()) || function.aliasVersion().isEmpty()) {
            throw new ServiceException(404, "ResourceNotFoundException", "Cannot find alias arn: "
                    + function.latest().definition().arn().qualified(request.name()));
        }
        AliasConfiguration alias = alias(function);
        return GetAliasResponse.builder().aliasArn(alias.aliasArn()).name(alias.name())
                .functionVersion(alias.functionVersion()).revisionId(alias.revisionId()).build();
    }

    ListAliasesResponse listAliases(ListAliasesRequest request) {
        LambdaFunction function = service.function(request.functionName());
        return ListAliasesResponse.builder().aliases(function.aliasVersion().isEmpty() ? List.of()
                : List.of(alias(function))).build();
    }

    private static AliasConfiguration alias(LambdaFunction function) {
        FunctionArn arn = function.latest().definition().arn();
        String version = function.aliasVersion().orElseThrow().number();
        return AliasConfiguration.builder().aliasArn(arn.qualified(function.alias()).toString())
                .name(function.alias()).functionVersion(version)
                .revisionId(revision(arn + function.alias() + version)).build();
    }

    ListVersionsByFunctionResponse listVersions(ListVersionsByFunctionRequest request) {
        LambdaFunction function = service.function(request.functionName());
        List<FunctionConfiguration> versions = new ArrayList<>(List.of(configuration(function.latest())));
        function.published().forEach(version -> versions.add(configuration(version)));
        return ListVersionsByFunctionResponse.builder().versions(versions).build();
    }

    GetFunctionEventInvokeConfigResponse eventInvokeConfig(GetFunctionEventInvokeConfigRequest request) {
        InvocationTarget target = service.resolve(request.functionName(), request.qualifier());
        AsyncConfig config = target.asyncConfig();
        // The defaults object itself stands for "none configured": the template's EventInvokeConfig applies to the
        // AutoPublishAlias, as SAM deploys it, and every other qualifier runs on Lambda's defaults.
        if (config == AsyncConfig.DEFAULT) {
            throw new ServiceException(404, "ResourceNotFoundException", "The function " + target.invokedArn()
                    + " doesn't have an EventInvokeConfig");
        }
        GetFunctionEventInvokeConfigResponse.Builder response = GetFunctionEventInvokeConfigResponse.builder()
                .functionArn(target.invokedArn().toString())
                .lastModified(service.function(request.functionName()).latest().lastModified())
                .maximumRetryAttempts(config.maximumRetryAttempts())
                .maximumEventAgeInSeconds(config.maximumEventAgeSeconds());
        if (config.onFailureQueue() != null) {
            response.destinationConfig(DestinationConfig.builder().onFailure(OnFailure.builder()
                    .destination(config.onFailureQueue()).build()).build());
        }
        return response.build();
    }

    GetFunctionUrlConfigResponse functionUrl(GetFunctionUrlConfigRequest request) {
        service.resolve(request.functionName(), request.qualifier());
        throw new ServiceException(404, "ResourceNotFoundException", "The resource you requested does not exist.");
    }

    /** A version's configuration as GetFunctionConfiguration reports it, from the template it was deployed with. */
    private static FunctionConfiguration configuration(LambdaFunction.Version version) {
        FunctionDefinition function = version.definition();
        TaskRoot.CodePackage code = version.code().codePackage();
        boolean latest = version.number().equals(LambdaFunction.LATEST);
        return FunctionConfiguration.builder()
                .functionName(function.name())
                .functionArn(latest ? function.arn().toString() : function.arn().qualified(version.number()).toString())
                .runtime(function.runtime())
                .role(function.role())
                .handler(function.handler())
                .codeSize(code.size())
                .codeSha256(code.sha256())
                .description(function.description() == null ? "" : function.description())
                .timeout(function.timeoutSeconds())
                .memorySize(function.memoryMb())
                .lastModified(LAST_MODIFIED.format(version.lastModified()))
                .version(version.number())
                .environment(EnvironmentResponse.builder().variables(function.environment()).build())
                .tracingConfig(TracingConfigResponse.builder().mode(function.tracing()
                        == FunctionDefinition.TracingMode.ACTIVE ? "Active" : "PassThrough").build())
                .revisionId(revision(function.arn() + version.number() + code.sha256()))
                .state("Active")
                .lastUpdateStatus("Successful")
                .packageType("Zip")
                .architecturesWithStrings(function.architectures())
                .ephemeralStorage(EphemeralStorage.builder().size(512).build())
                .snapStart(SnapStartResponse.builder().applyOn(function.snapStartApplyOn())
                        .optimizationStatus(!latest && "PublishedVersions".equals(function.snapStartApplyOn())
                                ? "On" : "Off").build())
                .loggingConfig(LoggingConfig.builder().logFormat(function.logFormat()).logGroup(function.logGroup())
                        .build())
                .build();
    }

    private static String revision(String of) {
        return UUID.nameUUIDFromBytes(of.getBytes(StandardCharsets.UTF_8)).toString();
    }

}
