package xrayasync.localcloud.core.cloudformation;

import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourceRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourceResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.ListStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDetail;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.QueryProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's read API over the stacks the cloud holds: DescribeStacks (parameters, outputs, status),
 * DescribeStackResource, DescribeStackResources, ListStackResources and GetTemplate, taking and returning the AWS
 * SDK's model objects.
 */
public final class CloudFormationApi {

    private final CloudFormationService service;

    public CloudFormationApi(CloudFormationService service) {
        this.service = service;
    }

    /** The API on the wire: CloudFormation's query protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(CloudFormationClient.class, "CloudFormation"),
                new QueryProtocol("cloudformation"))
                .on(DescribeStacksRequest.class, (request, context) -> describeStacks(request))
                .on(DescribeStackResourceRequest.class, (request, context) -> describeStackResource(request))
                .on(DescribeStackResourcesRequest.class, (request, context) -> describeStackResources(request))
                .on(ListStackResourcesRequest.class, (request, context) -> listStackResources(request))
                .on(GetTemplateRequest.class, (request, context) -> getTemplate(request));
    }

    DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
        List<CloudFormationService.Stack> stacks = request.stackName() == null ? service.stacks()
                : List.of(service.stack(request.stackName()));
        return DescribeStacksResponse.builder().stacks(stacks.stream().map(CloudFormationApi::stack).toList()).build();
    }

    private static Stack stack(CloudFormationService.Stack stack) {
        StackDefinition definition = stack.definition();
        return Stack.builder()
                .stackId(definition.stackId())
                .stackName(definition.stackName())
                .description(definition.template().description())
                .parameters(definition.parameters().entrySet().stream()
                        .map(parameter -> Parameter.builder().parameterKey(parameter.getKey())
                                .parameterValue(parameter.getValue()).build())
                        .toList())
                .creationTime(stack.created())
                .stackStatus(stack.status())
                .disableRollback(false)
                .notificationARNs(List.of())
                .capabilitiesWithStrings("CAPABILITY_IAM")
                .outputs(definition.outputs().stream()
                        .map(output -> Output.builder().outputKey(output.key()).outputValue(output.value())
                                .description(output.description()).build())
                        .toList())
                .tags(List.of())
                .enableTerminationProtection(false)
                .driftInformation(StackDriftInformation.builder().stackDriftStatus("NOT_CHECKED").build())
                .build();
    }

    DescribeStackResourceResponse describeStackResource(DescribeStackResourceRequest request) {
        CloudFormationService.Stack stack = service.stack(request.stackName());
        ResourceDefinition resource = resource(stack, request.logicalResourceId());
        return DescribeStackResourceResponse.builder().stackResourceDetail(StackResourceDetail.builder()
                .stackName(stack.definition().stackName()).stackId(stack.definition().stackId())
                .logicalResourceId(resource.logicalId()).physicalResourceId(resource.physicalId())
                .resourceType(resource.type()).lastUpdatedTimestamp(stack.created())
                .resourceStatus("CREATE_COMPLETE").build()).build();
    }

    DescribeStackResourcesResponse describeStackResources(DescribeStackResourcesRequest request) {
        if (request.stackName() == null) {
            throw new ServiceException(400, "ValidationError", "StackName is required: the local cloud does not"
                    + " look stacks up by PhysicalResourceId alone.");
        }
        CloudFormationService.Stack stack = service.stack(request.stackName());
        return DescribeStackResourcesResponse.builder().stackResources(stack.definition().resources().stream()
                .filter(resource -> request.logicalResourceId() == null
                        || resource.logicalId().equals(request.logicalResourceId()))
                .filter(resource -> request.physicalResourceId() == null
                        || resource.physicalId().equals(request.physicalResourceId()))
                .map(resource -> StackResource.builder().stackName(stack.definition().stackName())
                        .stackId(stack.definition().stackId()).logicalResourceId(resource.logicalId())
                        .physicalResourceId(resource.physicalId()).resourceType(resource.type())
                        .timestamp(stack.created()).resourceStatus("CREATE_COMPLETE").build())
                .toList()).build();
    }

    ListStackResourcesResponse listStackResources(ListStackResourcesRequest request) {
        CloudFormationService.Stack stack = service.stack(request.stackName());
        return ListStackResourcesResponse.builder().stackResourceSummaries(stack.definition().resources().stream()
                .map(resource -> StackResourceSummary.builder().logicalResourceId(resource.logicalId())
                        .physicalResourceId(resource.physicalId()).resourceType(resource.type())
                        .lastUpdatedTimestamp(stack.created()).resourceStatus("CREATE_COMPLETE").build())
                .toList()).build();
    }

    GetTemplateResponse getTemplate(GetTemplateRequest request) {
        CloudFormationService.Stack stack = service.stack(request.stackName());
        return GetTemplateResponse.builder().templateBody(stack.definition().template().body())
                .stagesAvailableWithStrings("Original", "Processed").build();
    }

    private static ResourceDefinition resource(CloudFormationService.Stack stack,
            String logicalId) {
        return stack.definition().resources().stream()
                .filter(resource -> resource.logicalId().equals(logicalId))
                .findFirst()
                .orElseThrow(() -> new ServiceException(400, "ValidationError", "Resource " + logicalId
                        + " does not exist for stack " + stack.definition().stackName()));
    }
}
