package xrayasync.localcloud.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a SAM template is read: intrinsics in long form, Globals merged the way SAM merges them. */
class SamTemplateTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: java25
                Tracing: Active
                Architectures: [arm64]
                Environment:
                  Variables:
                    SHARED: from-globals
                    OVERRIDDEN: from-globals
            Resources:
              Caller:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.B::handleRequest
                  Environment:
                    Variables:
                      OVERRIDDEN: !Ref Callee.Alias
                      ARN: !GetAtt Callee.Arn
                      LIST: !GetAtt [Callee, Arn]
                      URL: !Sub https://${AWS::Region}.example/${Callee}
                      PAIR: !Join [":", [!Ref Callee, live]]
              Callee:
                Type: AWS::Serverless::Function
                Properties:
                  Tracing: !Ref Mode
                  Layers: [layer-b]
              Queue:
                Type: AWS::SQS::Queue
            """;

    private final SamTemplate template = SamTemplate.parse(TEMPLATE);

    @Test
    void listsFunctionsInTemplateOrder() {
        assertEquals(List.of("Caller", "Callee"), template.functionIds());
    }

    @Test
    void shortFormIntrinsicsReadAsTheirLongForms() {
        Map<String, Object> variables = variables("Caller");

        assertEquals(Map.of("Ref", "Callee.Alias"), variables.get("OVERRIDDEN"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Callee", "Arn")), variables.get("ARN"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Callee", "Arn")), variables.get("LIST"));
        assertEquals(Map.of("Fn::Sub", "https://${AWS::Region}.example/${Callee}"), variables.get("URL"));
        assertEquals(Map.of("Fn::Join", List.of(":", List.of(Map.of("Ref", "Callee"), "live"))), variables.get("PAIR"));
    }

    @Test
    void globalsMergeIntoEachFunction() {
        Map<String, Object> callee = template.functionProperties("Callee");

        assertEquals("java25", callee.get("Runtime"));
        assertEquals(Map.of("Ref", "Mode"), callee.get("Tracing"));
        assertEquals(List.of("arm64"), callee.get("Architectures"));
        assertEquals("from-globals", variables("Callee").get("SHARED"));
        assertEquals("from-globals", variables("Caller").get("SHARED"));
    }

    @Test
    void functionValuesOverrideGlobalsKeyByKey() {
        assertEquals(Map.of("Ref", "Callee.Alias"), variables("Caller").get("OVERRIDDEN"));
        assertEquals("from-globals", variables("Callee").get("OVERRIDDEN"));
    }

    @Test
    void unknownResourceIsNamedInTheError() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> template.properties("Missing"));

        assertEquals("template.yaml has no resource named Missing.", failure.getMessage());
    }

    @Test
    void documentWithoutResourcesIsNotATemplate() {
        assertThrows(IllegalArgumentException.class, () -> SamTemplate.parse("Description: nothing"));
    }

    private Map<String, Object> variables(String function) {
        Map<String, Object> environment = SamTemplate.map(template.functionProperties(function).get("Environment"));
        return SamTemplate.map(environment.get("Variables"));
    }
}
