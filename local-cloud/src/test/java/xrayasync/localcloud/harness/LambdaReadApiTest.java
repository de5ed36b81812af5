package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lambda's read API, as the AWS SDK's Lambda client (the SAM CLI's calls, the trace check's) sees the functions the
 * template declares, and Invoke's log tail.
 */
class LambdaReadApiTest {

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static EdgeClients clients;

    @BeforeAll
    static void start() throws Exception {
        fixture = new LocalCloudFixture(work, Map.of());
        clients = new EdgeClients(fixture.cloud.endpoint(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        clients.close();
        fixture.close();
    }

    private static String callee() {
        return fixture.functionName("TriggeredFunction");
    }

    @Test
    void configurationSaysWhatTheTemplateDeclares() {
        GetFunctionConfigurationResponse configuration = clients.lambda.getFunctionConfiguration(request -> request
                .functionName(callee()));

        assertEquals("java25", configuration.runtimeAsString());
        assertEquals("xrayasync.triggered.TriggeredHandler::handleRequest", configuration.handler());
        assertEquals(1024, configuration.memorySize());
        assertEquals(30, configuration.timeout());
        assertEquals("Active", configuration.tracingConfig().modeAsString());
        assertEquals("JSON", configuration.loggingConfig().logFormatAsString());
        assertEquals("/aws/lambda/" + callee(), configuration.loggingConfig().logGroup());
        assertEquals("PublishedVersions", configuration.snapStart().applyOnAsString());
        assertEquals(List.of("arm64"), configuration.architecturesAsStrings());
        assertEquals("$LATEST", configuration.version());
        assertEquals("Active", configuration.stateAsString());
        assertTrue(configuration.role().startsWith("arn:aws:iam::123456789012:role/xray-async-TriggeredFunctionRole-"));
        assertTrue(configuration.codeSize() > 1_000_000, "the code package: " + configuration.codeSize());
        assertEquals(44, configuration.codeSha256().length(), "a base64 SHA-256");
    }

    @Test
    void theAliasRunsThePublishedVersion() {
        GetFunctionConfigurationResponse configuration = clients.lambda.getFunctionConfiguration(request -> request
                .functionName(callee()).qualifier("live"));

        assertEquals("1", configuration.version());
        assertTrue(configuration.functionArn().endsWith(callee() + ":1"));
        assertEquals("1", clients.lambda.getAlias(request -> request.functionName(callee()).name("live"))
                .functionVersion());
        assertEquals(List.of("$LATEST", "1"), clients.lambda.listVersionsByFunction(request -> request
                .functionName(callee())).versions().stream().map(FunctionConfiguration::version).toList());
    }

    @Test
    void everyFunctionIsListedPageByPageInNameOrder() {
        ListFunctionsResponse first = clients.lambda.listFunctions(request -> request.maxItems(1));
        ListFunctionsResponse second = clients.lambda.listFunctions(request -> request.maxItems(1)
                .marker(first.nextMarker()));

        assertNotNull(first.nextMarker());
        assertEquals(List.of(callee()), first.functions().stream().map(FunctionConfiguration::functionName).toList());
        assertEquals(List.of(fixture.functionName("TriggeringFunction")),
                second.functions().stream().map(FunctionConfiguration::functionName).toList());
    }

    @Test
    void tagsNameTheStackAndTheLogicalId() {
        Map<String, String> tags = clients.lambda.listTags(request -> request.resource(
                fixture.cloud.stack().function("TriggeredFunction").arn().toString())).tags();

        assertEquals("xray-async", tags.get("aws:cloudformation:stack-name"));
        assertEquals("TriggeredFunction", tags.get("aws:cloudformation:logical-id"));
        assertEquals("SAM", tags.get("lambda:createdBy"));
    }

    @Test
    void theAliasHasTheTemplatesAsyncSettingsAndTheFunctionItselfNone() {
        var config = clients.lambda.getFunctionEventInvokeConfig(request -> request.functionName(callee())
                .qualifier("live"));

        assertEquals(2, config.maximumRetryAttempts());
        assertEquals(3600, config.maximumEventAgeInSeconds());
        assertTrue(config.destinationConfig().onFailure().destination().endsWith(":xray-async-TriggeredFailureQueue"));
        assertThrows(ResourceNotFoundException.class, () -> clients.lambda.getFunctionEventInvokeConfig(request ->
                request.functionName(callee())));
    }

    @Test
    void noFunctionHasAUrl() {
        ResourceNotFoundException none = assertThrows(ResourceNotFoundException.class,
                () -> clients.lambda.getFunctionUrlConfig(request -> request.functionName(callee())));

        assertEquals("The resource you requested does not exist.", none.awsErrorDetails().errorMessage());
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        assertThrows(ResourceNotFoundException.class, () -> clients.lambda.getFunction(request -> request
                .functionName("xray-async-NoSuchFunction")));
    }

    @Test
    void invokeWithLogTypeTailReturnsTheInvocationsLogInTheFunctionsFormat() throws Exception {
        String event = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
        InvokeResponse invoked = clients.lambda.invoke(request -> request.functionName(callee()).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(event)));

        String tail = new String(Base64.getDecoder().decode(invoked.logResult()), StandardCharsets.UTF_8);
        assertTrue(tail.startsWith("{\"time\":"), tail);
        assertTrue(tail.contains("\"type\":\"platform.start\"") && tail.contains("\"type\":\"platform.report\""), tail);
        assertTrue(tail.contains("Triggered by "), "the function's own line: " + tail);
        assertTrue(tail.indexOf("Triggered by ") < tail.indexOf("platform.report"), "its lines before the report");
        assertFalse(tail.contains("REPORT RequestId"), "no text record under the JSON log format: " + tail);
    }
}
