package xrayasync.localcloud.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.harness.ProjectRoot;

/** The repository's template resolved as the local cloud deploys it. */
class StackDefinitionTest {

    private static final Path ROOT = ProjectRoot.locate();

    private static StackDefinition stack(Map<String, String> parameters) throws IOException {
        return StackDefinition.resolve(SamTemplate.load(ROOT.resolve("template.yaml")), ROOT, "xray-async",
                "us-east-1", "123456789012", parameters);
    }

    @Test
    void triggeringFunctionTargetsTheTriggeredAliasArn() throws IOException {
        FunctionDefinition triggering = stack(Map.of()).function("TriggeringFunction");

        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:xray-async-TriggeredFunction:live",
                triggering.environment().get("TRIGGERED_FUNCTION_NAME"));
        assertEquals("Enabled", triggering.environment().get("TRACE_PROPAGATION"));
    }

    @Test
    void functionsCarryTheirRuntimeSettings() throws IOException {
        FunctionDefinition triggered = stack(Map.of()).function("TriggeredFunction");

        assertEquals("xray-async-TriggeredFunction", triggered.name());
        assertEquals("xrayasync.triggered.TriggeredHandler::handleRequest", triggered.handler());
        assertEquals("java25", triggered.runtime());
        assertEquals(ROOT.resolve("TriggeredFunction"), triggered.codeDirectory());
        assertEquals(FunctionDefinition.TracingMode.ACTIVE, triggered.tracing());
        assertEquals("JSON", triggered.logFormat());
        assertEquals("live", triggered.alias());
        assertEquals(new FunctionDefinition.AsyncConfig(2, 3600,
                "arn:aws:sqs:us-east-1:123456789012:xray-async-TriggeredFailureQueue"), triggered.asyncConfig());
    }

    @Test
    void parametersReproduceTheReport() throws IOException {
        StackDefinition stack = stack(Map.of("TracePropagation", "Disabled", "TriggeredTracingMode", "PassThrough"));

        assertEquals("Disabled", stack.function("TriggeringFunction").environment().get("TRACE_PROPAGATION"));
        assertEquals(FunctionDefinition.TracingMode.PASS_THROUGH, stack.function("TriggeredFunction").tracing());
    }

    @Test
    void functionTakenFromAnotherTemplateKeepsItsNameAndTheRestOfTheStack() throws IOException {
        String migrated = Files.readString(ROOT.resolve("template.yaml"))
                .replace("xrayasync.triggered.TriggeredHandler", "migrated.TriggeredHandler");
        StackDefinition other = StackDefinition.resolve(SamTemplate.parse(migrated), ROOT, "xray-async", "us-east-1",
                "123456789012", Map.of());

        StackDefinition mixed = stack(Map.of()).withFunctionsFrom(other, Set.of("TriggeredFunction"));

        assertEquals("migrated.TriggeredHandler::handleRequest", mixed.function("TriggeredFunction").handler());
        assertEquals("xray-async-TriggeredFunction", mixed.function("TriggeredFunction").name());
        assertEquals(stack(Map.of()).function("TriggeringFunction"), mixed.function("TriggeringFunction"));
    }

    @Test
    void valueOutsideAllowedValuesIsRejected() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> stack(Map.of("TracePropagation", "Off")));

        assertEquals("Parameter TracePropagation is 'Off'; allowed: [Enabled, Disabled].", failure.getMessage());
    }

    @Test
    void unknownParameterIsRejected() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> stack(Map.of("Propagation", "Enabled")));

        assertTrue(failure.getMessage().startsWith("template.yaml has no parameter Propagation"), failure.getMessage());
    }
}
