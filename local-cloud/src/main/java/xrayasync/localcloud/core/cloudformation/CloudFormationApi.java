package xrayasync.localcloud.core.cloudformation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourceRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourceResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateSummaryRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateSummaryResponse;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ParameterDeclaration;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDetail;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.QueryProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.template.SamTemplate;

/**
 * CloudFormation's API over the stacks the cloud holds: stacks made, changed and deleted through change sets
 * (CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, ListChangeSets, DeleteStack), and read (DescribeStacks,
 * DescribeStackEvents, DescribeStackResource(s), ListStackResources, GetTemplate, GetTemplateSummary), taking and
 * returning the AWS SDK's model objects.
 */
public final class CloudFormationApi {

    private static final int EVENTS_PAGE = 100;

    private final CloudFormationService service;
    private final ResourceProvisioner provisioner;

    /** @param provisioner where a TemplateURL is read from */
    public CloudFormationApi(CloudFormationService service, ResourceProvisioner provisioner) {
        this.service = service;
        this.provisioner = provisioner;
    }

    /** The API on the wire: CloudFormation's query protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(CloudFormationClient.class, "CloudFormation"),
                new QueryProtocol("cloudformation"))
                .on(DescribeStacksRequest.class, (request, context) -> describeStacks(request))
                .on(DescribeStackEventsRequest.class, (request, context) -> describeStackEvents(request))
                .on(DescribeStackResourceRequest.class, (request, context) -> describeStackResource(request))
                .on(DescribeStackResourcesRequest.class, (request, context) -> describeStackResources(request))
                .on(ListStackResourcesRequest.class, (request, context) -> listStackResources(request))
                .on(GetTemplateRequest.class, (request, context) -> getTemplate(request))
                .on(GetTemplateSummaryRequest.class, (request, context) -> getTemplateSummary(request))
                .on(CreateChangeSetRequest.class, (request, context) -> createChangeSet(request))
                .on(DescribeChangeSetRequest.class, (request, context) -> describeChangeSet(request))
                .on(ExecuteChangeSetRequest.class, (request, context) -> executeChangeSet(request))
                .on(ListChangeSetsRequest.class, (request, context) -> listChangeSets(request))
                .on(DeleteStackRequest.class, (request, context) -> deleteStack(request));
    }

    DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
        List<DeployedStack> stacks = request.stackName() == null ? service.stacks()
                : List.of(service.stack(request.stackName()));
        return DescribeStacksResponse.builder().stacks(stacks.stream().map(CloudFormationApi::stack).toList()).build();
    }

    private static Stack stack(DeployedStack stack) {
        return Stack.builder()
                .stackId(stack.stackId())
                .stackName(stack.stackName())
                .description(stack.definition().map(definition -> definition.template().description()).orElse(null))
                .parameters(parameters(stack.parameters()))
                .creationTime(stack.created())
                .lastUpdatedTime(stack.lastUpdated())
                .stackStatus(stack.status())
                .stackStatusReason(stack.statusReason())
                .disableRollback(false)
                .notificationARNs(List.of())
                .capabilitiesWithStrings(stack.capabilities())
                .outputs(stack.definition().map(definition -> definition.outputs().stream()
                        .map(output -> Output.builder().outputKey(output.key()).outputValue(output.value())
                                .description(output.description()).build())
                        .toList()).orElse(List.of()))
                .tags(tags(stack.tags()))
                .enableTerminationProtection(false)
                .driftInformation(StackDriftInformation.builder().stackDriftStatus("NOT_CHECKED").build())
                .build();
    }

    private static List<Parameter> parameters(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(parameter -> Parameter.builder().parameterKey(parameter.getKey())
                .parameterValue(parameter.getValue()).build()).toList();
    }

    private static List<Tag> tags(List<StackRecords.Tag> tags) {
        return tags.stream().map(tag -> Tag.builder().key(tag.key()).value(tag.value()).build()).toList();
    }

    DescribeStackEventsResponse describeStackEvents(DescribeStackEventsRequest request) {
        DeployedStack stack = service.stack(request.stackName());
        List<StackRecords.Event> events = stack.eventsNewestFirst();
        int from = request.nextToken() == null ? 0 : offset(request.nextToken(), events.size());
        int to = Math.min(events.size(), from + EVENTS_PAGE);
        return DescribeStackEventsResponse.builder()
                .stackEvents(events.subList(from, to).stream().map(event -> StackEvent.builder()
                        .stackId(stack.stackId()).stackName(stack.stackName()).eventId(event.eventId())
                        .logicalResourceId(event.logicalId()).physicalResourceId(event.physicalId())
                        .resourceType(event.type()).timestamp(event.timestamp()).resourceStatus(event.status())
                        .resourceStatusReason(event.reason()).build()).toList())
                .nextToken(to < events.size() ? Integer.toString(to) : null)
                .build();
    }

    private static int offset(String token, int size) {
        try {
            return Math.min(size, Integer.parseInt(token));
        } catch (NumberFormatException unknown) {
            throw new ServiceException(400, "ValidationError", "Invalid NextToken: " + token);
        }
    }

    DescribeStackResourceResponse describeStackResource(DescribeStackResourceRequest request) {
        DeployedStack stack = service.stack(request.stackName());
        StackRecords.Resource resource = stack.resources().stream()
                .filter(candidate -> candidate.logicalId().equals(request.logicalResourceId())).findFirst()
                .orElseThrow(() -> new ServiceException(400, "ValidationError", "Resource "
                        + request.logicalResourceId() + " does not exist for stack " + stack.stackName()));
        return DescribeStackResourceResponse.builder().stackResourceDetail(StackResourceDetail.builder()
                .stackName(stack.stackName()).stackId(stack.stackId()).logicalResourceId(resource.logicalId())
                .physicalResourceId(resource.physicalId()).resourceType(resource.type())
                .lastUpdatedTimestamp(resource.timestamp()).resourceStatus(resource.status()).build()).build();
    }

    DescribeStackResourcesResponse describeStackResources(DescribeStackResourcesRequest request) {
        if (request.stackName() == null) {
            throw new ServiceException(400, "ValidationError", "StackName is required: the local cloud does not"
                    + " look stacks up by PhysicalResourceId alone.");
        }
        DeployedStack stack = service.stack(request.stackName());
        return DescribeStackResourcesResponse.builder().stackResources(stack.resources().stream()
                .filter(resource -> request.logicalResourceId() == null
                        || resource.logicalId().equals(request.logicalResourceId()))
                .filter(resource -> request.physicalResourceId() == null
                        || resource.physicalId().equals(request.physicalResourceId()))
                .map(resource -> StackResource.builder().stackName(stack.stackName()).stackId(stack.stackId())
                        .logicalResourceId(resource.logicalId()).physicalResourceId(resource.physicalId())
                        .resourceType(resource.type()).timestamp(resource.timestamp())
                        .resourceStatus(resource.status()).build())
                .toList()).build();
    }

    ListStackResourcesResponse listStackResources(ListStackResourcesRequest request) {
        DeployedStack stack = service.stack(request.stackName());
        return ListStackResourcesResponse.builder().stackResourceSummaries(stack.resources().stream()
                .map(resource -> StackResourceSummary.builder().logicalResourceId(resource.logicalId())
                        .physicalResourceId(resource.physicalId()).resourceType(resource.type())
                        .lastUpdatedTimestamp(resource.timestamp()).resourceStatus(resource.status()).build())
                .toList()).build();
    }

    /** The template as it was sent, byte for byte: sam delete finds the uploaded template file by its MD5. */
    GetTemplateResponse getTemplate(GetTemplateRequest request) {
        DeployedStack stack = service.stack(request.stackName());
        String body = request.changeSetName() == null ? stack.templateBody()
                : stack.changeSet(request.changeSetName()).orElseThrow(() -> CloudFormationService
                        .changeSetNotFound(request.changeSetName())).templateBody();
        return GetTemplateResponse.builder().templateBody(body).stagesAvailableWithStrings("Original", "Processed")
                .build();
    }

    GetTemplateSummaryResponse getTemplateSummary(GetTemplateSummaryRequest request) {
        String body = request.stackName() != null ? service.stack(request.stackName()).templateBody()
                : request.templateURL() != null ? provisioner.template(request.templateURL()) : request.templateBody();
        SamTemplate template = template(body);
        List<ParameterDeclaration> declared = new ArrayList<>();
        template.parameters().forEach((key, declaration) -> {
            Map<String, Object> parameter = SamTemplate.map(declaration);
            declared.add(ParameterDeclaration.builder().parameterKey(key)
                    .defaultValue(parameter.get("Default") == null ? null : String.valueOf(parameter.get("Default")))
                    .parameterType(String.valueOf(parameter.getOrDefault("Type", "String"))).noEcho(false)
                    .description(parameter.get("Description") == null ? null
                            : String.valueOf(parameter.get("Description")).strip()).build());
        });
        List<String> types = template.resources().values().stream()
                .map(resource -> String.valueOf(SamTemplate.map(resource).get("Type"))).distinct().toList();
        boolean iam = types.contains(SamTemplate.FUNCTION_TYPE) || types.stream().anyMatch(type -> type
                .startsWith("AWS::IAM::"));
        return GetTemplateSummaryResponse.builder()
                .parameters(declared)
                .description(template.description())
                .capabilitiesWithStrings(iam ? List.of("CAPABILITY_IAM") : List.of())
                .capabilitiesReason(iam ? "The following resource(s) require capabilities: " + types.stream()
                        .filter(type -> type.equals(SamTemplate.FUNCTION_TYPE) || type.startsWith("AWS::IAM::"))
                        .toList() : null)
                .resourceTypes(types)
                .version("2010-09-09")
                .declaredTransforms(template.transforms())
                .build();
    }

    private static SamTemplate template(String body) {
        if (body == null || body.isBlank()) {
            throw new ServiceException(400, "ValidationError", "Either Template URL or Template Body must be"
                    + " specified.");
        }
        try {
            return SamTemplate.parse(body);
        } catch (RuntimeException invalid) {
            throw new ServiceException(400, "ValidationError", "Template format error: " + invalid.getMessage());
        }
    }

    CreateChangeSetResponse createChangeSet(CreateChangeSetRequest request) {
        String body = request.templateURL() != null ? provisioner.template(request.templateURL())
                : request.templateBody();
        template(body);
        Map<String, String> parameters = new LinkedHashMap<>();
        request.parameters().forEach(parameter -> parameters.put(parameter.parameterKey(),
                Boolean.TRUE.equals(parameter.usePreviousValue()) ? null : parameter.parameterValue()));
        StackRecords.ChangeSet changeSet = service.createChangeSet(new CloudFormationService.ChangeSetRequest(
                request.stackName(), request.changeSetName(), request.changeSetTypeAsString(), body, parameters,
                request.tags().stream().map(tag -> new StackRecords.Tag(tag.key(), tag.value())).toList(),
                request.capabilitiesAsStrings(), request.description()));
        return CreateChangeSetResponse.builder().id(changeSet.id())
                .stackId(service.stack(request.stackName()).stackId()).build();
    }

    DescribeChangeSetResponse describeChangeSet(DescribeChangeSetRequest request) {
        DeployedStack stack = service.stackOfChangeSet(request.stackName(), request.changeSetName());
        StackRecords.ChangeSet changeSet = stack.changeSet(request.changeSetName()).orElseThrow(() ->
                CloudFormationService.changeSetNotFound(request.changeSetName()));
        return DescribeChangeSetResponse.builder()
                .changeSetName(changeSet.name()).changeSetId(changeSet.id())
                .stackId(stack.stackId()).stackName(stack.stackName())
                .description(changeSet.description())
                .parameters(parameters(changeSet.parameters()))
                .creationTime(changeSet.created())
                .executionStatus(changeSet.executionStatus())
                .status(changeSet.status())
                .statusReason(changeSet.statusReason())
                .notificationARNs(List.of())
                .capabilitiesWithStrings(changeSet.capabilities())
                .tags(tags(changeSet.tags()))
                .changes(changeSet.changes().stream().map(change -> Change.builder().type("Resource")
                        .resourceChange(ResourceChange.builder().action(change.action())
                                .logicalResourceId(change.logicalId()).physicalResourceId(change.physicalId())
                                .resourceType(change.type()).replacement(change.replacement()).build())
                        .build()).toList())
                .build();
    }

    ExecuteChangeSetResponse executeChangeSet(ExecuteChangeSetRequest request) {
        service.executeChangeSet(request.stackName(), request.changeSetName());
        return ExecuteChangeSetResponse.builder().build();
    }

    ListChangeSetsResponse listChangeSets(ListChangeSetsRequest request) {
        DeployedStack stack = service.stack(request.stackName());
        return ListChangeSetsResponse.builder().summaries(stack.changeSets().stream()
                .map(changeSet -> ChangeSetSummary.builder().stackId(stack.stackId()).stackName(stack.stackName())
                        .changeSetId(changeSet.id()).changeSetName(changeSet.name())
                        .executionStatus(changeSet.executionStatus()).status(changeSet.status())
                        .statusReason(changeSet.statusReason()).creationTime(changeSet.created())
                        .description(changeSet.description()).build())
                .toList()).build();
    }

    DeleteStackResponse deleteStack(DeleteStackRequest request) {
        service.deleteStack(request.stackName(), request.retainResources());
        return DeleteStackResponse.builder().build();
    }
}
