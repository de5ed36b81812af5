package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Layer;

/** The check that holds the local cloud's answers against AWS's: how it reads an answer, and STS's answers held. */
class ResponseShapesTest {

    @RegisterExtension
    static final SharedCloud CLOUD = new SharedCloud(Map.of());

    @Test
    void anAnswerCarriesItsNestedMembersListElementsAndMapValuesAsPaths() {
        FunctionConfiguration answer = FunctionConfiguration.builder().functionName("f")
                .environment(EnvironmentResponse.builder().variables(Map.of("A", "1")).build())
                .layers(Layer.builder().arn("arn:layer").build()).build();

        assertEquals(Set.of("FunctionName", "Environment", "Environment.Variables", "Environment.Variables{}",
                "Layers", "Layers[]", "Layers[].Arn"), ResponseShapes.presentMembers(answer));
    }

    @Test
    void aListOrMapTheAnswerDidNotCarryIsNotAMember() {
        FunctionConfiguration answer = FunctionConfiguration.builder().functionName("f").build();

        assertEquals(Set.of("FunctionName"), ResponseShapes.presentMembers(answer));
    }

    @Test
    void anEmptyListTheAnswerCarriedIsAMember() {
        FunctionConfiguration answer = FunctionConfiguration.builder().functionName("f").layers(List.of()).build();

        assertEquals(Set.of("FunctionName", "Layers"), ResponseShapes.presentMembers(answer));
    }

    @Test
    void aServiceWithoutAReferenceIsNamedWithTheFileToAdd() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ResponseShapes.reference("NoSuchService"));

        assertTrue(refused.getMessage().contains("aws-responses/NoSuchService.json"), refused.getMessage());
    }

    @Test
    void stsAnswersWithEveryMemberAwsSends() {
        ResponseShapes shapes = new ResponseShapes();
        try (EdgeClients clients = new EdgeClients(CLOUD.fixture().cloud.endpoint(), Duration.ofSeconds(30),
                List.of(shapes.recorder()))) {
            clients.sts.getCallerIdentity();
        }

        assertEquals(Set.of("GetCallerIdentity"), shapes.recordedOperations("Sts"));
        assertEquals(Map.of(), shapes.missing("Sts"), () -> "STS lacks what AWS sends:\n"
                + ResponseShapes.describe(shapes.missing("Sts")));
    }
}
