package xrayasync.triggered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The sample events under events/ stay what the functions send and accept (this test sits in TriggeredFunction's
 * package to call its payload reader as the handler does).
 */
class SampleEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = ProjectRoot.locate().resolve("events");

    @Test
    void triggeredEventIsAPayloadTriggeredFunctionAccepts() throws IOException {
        TriggerPayload payload = TriggerPayload.parse(Files.readAllBytes(EVENTS.resolve("triggered-event.json")));

        assertEquals(TriggerPayload.SCHEMA_VERSION, payload.schemaVersion());
        assertTrue(payload.callerTraceId() != null, "the sample carries a caller trace header");
    }

    @Test
    void triggeredEventHasExactlyTheFieldsTriggeringFunctionSends() throws Exception {
        Set<String> sent = new TreeSet<>(Arrays.stream(Class.forName("xrayasync.triggering.TriggerPayload")
                .getRecordComponents()).map(RecordComponent::getName).toList());
        Set<String> sample = new TreeSet<>();
        JSON.readTree(EVENTS.resolve("triggered-event.json").toFile()).fieldNames().forEachRemaining(sample::add);

        assertEquals(sent, sample);
    }

    @Test
    void triggeringEventIsTheConsolesSampleObject() throws IOException {
        JsonNode event = JSON.readTree(EVENTS.resolve("triggering-event.json").toFile());

        assertTrue(event.isObject(), event.toString());
    }

    @Test
    void localEnvironmentFileNamesTheTemplatesFunctionsAndOnlyTheirVariables() throws IOException {
        SamTemplate template = SamTemplate.load(EVENTS.resolveSibling("template.yaml"));
        JsonNode environment = JSON.readTree(EVENTS.resolve("env.json").toFile());
        List<String> functions = new ArrayList<>();
        environment.fieldNames().forEachRemaining(functions::add);

        assertEquals(template.functionIds(), functions);
        for (String function : functions) {
            Object declared = template.properties(function).get("Environment");
            Set<String> templateVariables = declared == null ? Set.of()
                    : SamTemplate.map(SamTemplate.map(declared).get("Variables")).keySet();
            environment.get(function).fieldNames().forEachRemaining(variable ->
                    assertTrue(templateVariables.contains(variable), function + " declares " + variable));
        }
    }
}
