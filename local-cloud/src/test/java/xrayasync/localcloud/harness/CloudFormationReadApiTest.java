package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;

/**
 * CloudFormation's read API over the stack the cloud holds, as the AWS SDK's CloudFormation client (query protocol, XML
 * answers) sees it: status, parameters, outputs resolved, the resources the SAM transform makes, the template.
 */
class CloudFormationReadApiTest {

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static EdgeClients clients;

    @BeforeAll
    static void start() throws Exception {
        fixture = new LocalCloudFixture(work, Map.of("TriggeredTracingMode", "PassThrough"));
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        clients.close();
        fixture.close();
    }

    @Test
    void theStackIsCompleteWithItsParametersAndResolvedOutputs() {
        Stack stack = clients.cloudFormation.describeStacks(request -> request.stackName("xray-async")).stacks()
                .getFirst();
        Map<String, String> outputs = stack.outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue));

        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString());
        assertTrue(stack.stackId().startsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/xray-async/"));
        assertEquals("PassThrough", stack.parameters().stream()
                .filter(parameter -> parameter.parameterKey().equals("TriggeredTracingMode"))
                .findFirst().orElseThrow().parameterValue());
        assertEquals("xray-async-TriggeringFunction", outputs.get("TriggeringFunctionName"));
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:xray-async-TriggeredFunction:live",
                outputs.get("TriggeredFunctionAliasArn"));
        assertTrue(outputs.get("XRayTracesConsoleUrl").startsWith("https://us-east-1.console.aws.amazon.com/"));
    }

    @Test
    void theResourcesAreWhatTheSamTransformMakes() {
        List<StackResourceSummary> resources = clients.cloudFormation.listStackResources(request -> request
                .stackName("xray-async")).stackResourceSummaries();
        Map<String, String> types = resources.stream().collect(Collectors.toMap(
                StackResourceSummary::logicalResourceId, StackResourceSummary::resourceType));

        assertEquals("AWS::Lambda::Function", types.get("TriggeringFunction"));
        assertEquals("AWS::IAM::Role", types.get("TriggeringFunctionRole"));
        assertEquals("AWS::Lambda::Alias", types.get("TriggeredFunctionAliaslive"));
        assertEquals("AWS::Lambda::EventInvokeConfig", types.get("TriggeredFunctionEventInvokeConfig"));
        assertEquals("AWS::SQS::Queue", types.get("TriggeredFailureQueue"));
        assertEquals(1, types.keySet().stream().filter(id -> id.startsWith("TriggeredFunctionVersion")).count());
        assertEquals("xray-async-TriggeredFunction", clients.cloudFormation.describeStackResource(request -> request
                .stackName("xray-async").logicalResourceId("TriggeredFunction")).stackResourceDetail()
                .physicalResourceId());
        assertEquals("/aws/lambda/xray-async-TriggeredFunction", clients.cloudFormation.describeStackResources(
                request -> request.stackName("xray-async").logicalResourceId("TriggeredFunctionLogGroup"))
                .stackResources().getFirst().physicalResourceId());
    }

    @Test
    void theTemplateIsTheOneDeployed() throws Exception {
        assertEquals(Files.readString(LocalCloudFixture.ROOT.resolve("template.yaml")),
                clients.cloudFormation.getTemplate(request -> request.stackName("xray-async")).templateBody());
    }

    @Test
    void aStackThatDoesNotExistIsCloudFormationsValidationError() {
        CloudFormationException missing = assertThrows(CloudFormationException.class,
                () -> clients.cloudFormation.describeStacks(request -> request.stackName("nope")));

        assertEquals("ValidationError", missing.awsErrorDetails().errorCode());
        assertEquals("Stack with id nope does not exist", missing.awsErrorDetails().errorMessage());
        assertEquals(400, missing.statusCode());
    }
}
