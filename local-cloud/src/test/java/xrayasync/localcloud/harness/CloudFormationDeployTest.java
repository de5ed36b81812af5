package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.lambda.TaskRoot;
import xrayasync.localcloud.harness.check.TraceCheck;

/**
 * Stacks deployed through change sets, as {@code sam deploy} and {@code aws cloudformation deploy} make them, from
 * code zips in the local S3: created, run, updated (a new version the alias serves), deleted; refused or failed with
 * CloudFormation's reasons when the cloud cannot run them; and kept across a restart.
 */
class CloudFormationDeployTest {

    private static final String STACK = "xray-async-offline";
    private static final String BUCKET = "deployments";

    @TempDir
    Path work;

    private LocalCloudFixture fixture;
    private EdgeClients clients;

    @BeforeEach
    void start() throws Exception {
        fixture = new LocalCloudFixture(work, Map.of());
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60));
        clients.s3.createBucket(request -> request.bucket(BUCKET));
    }

    @AfterEach
    void stop() {
        clients.close();
        fixture.close();
    }

    /** template.yaml with each function's CodeUri pointing at its zip in the local S3, as sam package writes it. */
    private String packagedTemplate() throws Exception {
        String template = Files.readString(LocalCloudFixture.ROOT.resolve("template.yaml"));
        for (String function : List.of("TriggeringFunction", "TriggeredFunction")) {
            clients.s3.putObject(request -> request.bucket(BUCKET).key(function + ".zip"),
                    RequestBody.fromBytes(CodeZips.of(LocalCloudFixture.ROOT.resolve(function))));
            template = template.replace("CodeUri: " + function, "CodeUri: s3://" + BUCKET + "/" + function + ".zip");
        }
        return template;
    }

    private DescribeChangeSetResponse changeSet(String stack, String template, ChangeSetType type,
            List<Parameter> parameters) {
        String id = clients.cloudFormation.createChangeSet(request -> request.stackName(stack)
                .changeSetName("deploy" + System.nanoTime()).changeSetType(type).templateBody(template)
                .capabilities(Capability.CAPABILITY_IAM).parameters(parameters)).id();
        return clients.cloudFormation.describeChangeSet(request -> request.stackName(stack).changeSetName(id));
    }

    private Stack deploy(String stack, String template, ChangeSetType type, List<Parameter> parameters) {
        DescribeChangeSetResponse changeSet = changeSet(stack, template, type, parameters);
        assertEquals("CREATE_COMPLETE", changeSet.statusAsString(), changeSet.statusReason());
        clients.cloudFormation.executeChangeSet(request -> request.stackName(stack)
                .changeSetName(changeSet.changeSetId()));
        return describe(stack);
    }

    private Stack describe(String stack) {
        return clients.cloudFormation.describeStacks(request -> request.stackName(stack)).stacks().getFirst();
    }

    private List<StackEvent> events(String stack) {
        return clients.cloudFormation.describeStackEvents(request -> request.stackName(stack)).stackEvents();
    }

    /** The trace check of the deployed stack's pair, with the sample event. */
    private TraceCheck.Result checkTrace() throws Exception {
        return new TraceCheck(fixture.clients.lambda(), fixture.clients.xray(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Duration.ofSeconds(40),
                Duration.ofMillis(200), fixture.cloud::settled).run(STACK + "-TriggeringFunction",
                STACK + "-TriggeredFunction", Files.readAllBytes(LocalCloudFixture.ROOT
                        .resolve("events/triggering-event.json")));
    }

    @Test
    void aDeployedStackRunsItsFunctionsInOneTrace() throws Exception {
        Stack stack = deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of());

        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString());
        assertTrue(stack.outputs().stream().anyMatch(output -> output.outputValue()
                .equals(STACK + "-TriggeringFunction")), stack.outputs().toString());
        StackEvent newest = events(STACK).getFirst();
        assertEquals("CREATE_COMPLETE", newest.resourceStatusAsString());
        assertEquals("AWS::CloudFormation::Stack", newest.resourceType());
        TraceCheck.Result result = checkTrace();
        assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());
    }

    /** What sam deploy --parameter-overrides AsyncHop=SQS makes: the queue, its mapping, a linked trace; delete ends them. */
    @Test
    void aStackDeployedWithTheSqsHopLinksTheConsumerAndDeletingItEndsItsQueuesAndMapping() throws Exception {
        Stack stack = deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of(Parameter.builder()
                .parameterKey("AsyncHop").parameterValue("SQS").build()));

        assertTrue(stack.outputs().stream().anyMatch(output -> output.outputKey().equals("TriggeredQueueUrl")),
                stack.outputs().toString());
        assertEquals(1, fixture.cloud.eventSources().mappings().size());
        TraceCheck.Result result = checkTrace();
        assertEquals(TraceCheck.Verdict.LINKED, result.verdict(), result.explanation());

        clients.cloudFormation.deleteStack(request -> request.stackName(STACK));

        assertEquals(List.of(), fixture.cloud.eventSources().mappings());
        assertEquals(List.of(), clients.sqs.listQueues(request -> request.queueNamePrefix(STACK + "-Triggered"))
                .queueUrls());
    }

    @Test
    void aStackDeployedWithTheSnsHopJoinsThroughItsTopicAndDeletingItEndsTheTopic() throws Exception {
        deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of(Parameter.builder()
                .parameterKey("AsyncHop").parameterValue("SNS").build()));
        String topic = "arn:aws:sns:us-east-1:123456789012:" + STACK + "-TriggeredTopic";

        assertTrue(fixture.cloud.sns().exists(topic));
        TraceCheck.Result result = checkTrace();
        assertEquals(TraceCheck.Verdict.JOINED, result.verdict(), result.explanation());

        clients.cloudFormation.deleteStack(request -> request.stackName(STACK));

        assertFalse(fixture.cloud.sns().exists(topic));
        assertEquals(List.of(), fixture.cloud.sns().subscriptions(topic));
    }

    @Test
    void aSecondDeployWithAChangePublishesAVersionTheAliasServes() throws Exception {
        String template = packagedTemplate();
        deploy(STACK, template, ChangeSetType.CREATE, List.of());

        Stack updated = deploy(STACK, template, ChangeSetType.UPDATE, List.of(Parameter.builder()
                .parameterKey("TracePropagation").parameterValue("Disabled").build()));

        assertEquals("UPDATE_COMPLETE", updated.stackStatusAsString());
        String caller = STACK + "-TriggeringFunction";
        assertEquals("2", clients.lambda.getAlias(request -> request.functionName(caller).name("live"))
                .functionVersion());
        assertEquals("Disabled", clients.lambda.getFunctionConfiguration(request -> request.functionName(caller)
                .qualifier("live")).environment().variables().get("TRACE_PROPAGATION"));
        assertEquals("Enabled", clients.lambda.getFunctionConfiguration(request -> request.functionName(caller)
                .qualifier("1")).environment().variables().get("TRACE_PROPAGATION"));
        assertEquals(200, clients.lambda.invoke(request -> request.functionName(caller).qualifier("live"))
                .statusCode());
    }

    @Test
    void deployingWhatIsDeployedIsNoChange() throws Exception {
        String template = packagedTemplate();
        deploy(STACK, template, ChangeSetType.CREATE, List.of());

        DescribeChangeSetResponse again = changeSet(STACK, template, ChangeSetType.UPDATE, List.of());

        assertEquals("FAILED", again.statusAsString());
        assertTrue(again.statusReason().contains("The submitted information didn't contain changes."),
                again.statusReason());
    }

    @Test
    void deletingAStackRemovesItsFunctionsAndLogGroups() throws Exception {
        String stackId = deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of()).stackId();

        clients.cloudFormation.deleteStack(request -> request.stackName(STACK));

        CloudFormationException gone = assertThrows(CloudFormationException.class, () -> describe(STACK));
        assertEquals("Stack with id " + STACK + " does not exist", gone.awsErrorDetails().errorMessage());
        assertEquals("DELETE_COMPLETE", describe(stackId).stackStatusAsString());
        assertThrows(ResourceNotFoundException.class, () -> clients.lambda.getFunction(request -> request
                .functionName(STACK + "-TriggeringFunction")));
        assertEquals(List.of(), clients.logs.describeLogGroups(request -> request.logGroupNamePrefix(
                "/aws/lambda/" + STACK)).logGroups());
        assertEquals("xray-async-TriggeringFunction", clients.lambda.getFunction(request -> request
                .functionName("xray-async-TriggeringFunction")).configuration().functionName(), "the other stack stays");
    }

    @Test
    void deletingAStackThatDoesNotExistSucceeds() {
        clients.cloudFormation.deleteStack(request -> request.stackName("never-deployed"));
    }

    @Test
    void aTemplateThatMakesRolesIsRefusedWithoutTheCapability() throws Exception {
        String template = packagedTemplate();

        CloudFormationException refused = assertThrows(CloudFormationException.class,
                () -> clients.cloudFormation.createChangeSet(request -> request.stackName(STACK).changeSetName("c1")
                        .changeSetType(ChangeSetType.CREATE).templateBody(template)));

        assertEquals("InsufficientCapabilitiesException", refused.awsErrorDetails().errorCode());
        assertEquals("Requires capabilities : [CAPABILITY_IAM]", refused.awsErrorDetails().errorMessage());
    }

    @Test
    void aResourceTypeTheCloudDoesNotEmulateRollsTheStackBackWithTheReason() {
        Stack stack = deploy(STACK, """
                Resources:
                  Orders:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                """, ChangeSetType.CREATE, List.of());

        assertEquals("ROLLBACK_COMPLETE", stack.stackStatusAsString());
        StackEvent failed = events(STACK).stream().filter(event -> event.resourceStatusAsString()
                .equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertEquals("Orders", failed.logicalResourceId());
        assertTrue(failed.resourceStatusReason().contains("does not emulate resource type AWS::DynamoDB::Table"),
                failed.resourceStatusReason());
    }

    @Test
    void aZipWithoutClassesFailsTheFunctionSayingWhatToDo() throws Exception {
        String template = packagedTemplate();
        clients.s3.putObject(request -> request.bucket(BUCKET).key("TriggeredFunction.zip"),
                RequestBody.fromBytes(CodeZips.withoutCode()));

        Stack stack = deploy(STACK, template, ChangeSetType.CREATE, List.of());

        assertEquals("ROLLBACK_COMPLETE", stack.stackStatusAsString());
        StackEvent failed = events(STACK).stream().filter(event -> event.resourceStatusAsString()
                .equals("CREATE_FAILED")).findFirst().orElseThrow();
        assertEquals("TriggeredFunction", failed.logicalResourceId());
        assertTrue(failed.resourceStatusReason().contains("build the function first (sam build)"),
                failed.resourceStatusReason());
    }

    @Test
    void aCodeUriOnTheLocalDiskFailsTheChangeSetSayingToPackage() throws Exception {
        DescribeChangeSetResponse changeSet = changeSet(STACK, Files.readString(LocalCloudFixture.ROOT
                .resolve("template.yaml")), ChangeSetType.CREATE, List.of());

        assertEquals("FAILED", changeSet.statusAsString());
        assertTrue(changeSet.statusReason().contains("package the template first"), changeSet.statusReason());
    }

    @Test
    void aDeployedStackAndItsObjectsSurviveARestart() throws Exception {
        deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of());
        clients.close();
        fixture.close();

        fixture = new LocalCloudFixture(work, Map.of());
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60));

        assertEquals("CREATE_COMPLETE", describe(STACK).stackStatusAsString());
        assertTrue(clients.s3.headObject(request -> request.bucket(BUCKET).key("TriggeredFunction.zip"))
                .contentLength() > 0);
        assertEquals(200, clients.invoke(STACK + "-TriggeredFunction", InvocationType.REQUEST_RESPONSE,
                Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"))).statusCode());
    }

    @Test
    void aStackWhoseCodeIsGoneIsNotRestored() throws Exception {
        deploy(STACK, packagedTemplate(), ChangeSetType.CREATE, List.of());
        clients.s3.deleteObject(request -> request.bucket(BUCKET).key("TriggeredFunction.zip"));
        clients.close();
        fixture.close();
        // What Lambda kept of the code (unpacked from S3 at deploy time) is gone too.
        TaskRoot.deleteRecursively(work.resolve("code"));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalCloud restarted = LocalCloud.start(new LocalCloud.Settings(LocalCloudFixture.ROOT
                .resolve("template.yaml"), Map.of(), "xray-async", Map.of(), List.of(), work, Duration.ofMillis(200),
                2, 0, new PrintStream(printed, true, StandardCharsets.UTF_8)));
                EdgeClients restartedClients = new EdgeClients(restarted.endpoint(), Duration.ofSeconds(30))) {
            assertThrows(CloudFormationException.class, () -> restartedClients.cloudFormation.describeStacks(
                    request -> request.stackName(STACK)));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Stack " + STACK + " was not restored"),
                    printed.toString(StandardCharsets.UTF_8));
        }
        fixture = new LocalCloudFixture(work.resolve("again"), Map.of());
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60));
    }
}
