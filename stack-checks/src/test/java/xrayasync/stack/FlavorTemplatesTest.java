package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The OpenTelemetry flavor deploys the same application: its template declares what the X-Ray one declares (the
 * parameters, functions, async settings, IAM, queue, log groups and outputs), apart from where the code is.
 */
class FlavorTemplatesTest {

    private static SamTemplate load(String path) throws IOException {
        return SamTemplate.load(ProjectRoot.locate().resolve(path));
    }

    /** A template's document, Globals merged into the functions, with each function's code and handler taken out. */
    private static Map<String, Object> withoutCode(SamTemplate template) {
        Map<String, Object> resources = new LinkedHashMap<>(template.resources());
        for (String function : template.functionIds()) {
            Map<String, Object> resource = new LinkedHashMap<>(SamTemplate.map(resources.get(function)));
            Map<String, Object> properties = new LinkedHashMap<>(template.functionProperties(function));
            properties.remove("CodeUri");
            properties.remove("Handler");
            properties.remove("Description");
            resource.put("Properties", properties);
            resources.put(function, resource);
        }
        return Map.of("Parameters", template.parameters(), "Resources", resources, "Outputs", template.outputs());
    }

    @Test
    void otelTemplateDeclaresWhatTheXRayTemplateDeclaresApartFromTheCode() throws IOException {
        assertEquals(withoutCode(load("template.yaml")), withoutCode(load("otel/template.yaml")));
    }

    @Test
    void otelFunctionsRunTheirOwnHandlers() throws IOException {
        SamTemplate xray = load("template.yaml");
        SamTemplate otel = load("otel/template.yaml");
        for (String function : xray.functionIds()) {
            assertNotEquals(xray.functionProperties(function).get("Handler"),
                    otel.functionProperties(function).get("Handler"), function);
        }
    }
}
