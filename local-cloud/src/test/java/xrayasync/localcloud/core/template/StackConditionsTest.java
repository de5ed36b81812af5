package xrayasync.localcloud.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A template's Conditions as CloudFormation applies them: a resource or output whose condition is false is not part
 * of the stack, Fn::If picks its branch, and AWS::NoValue leaves out what it is given to.
 */
class StackConditionsTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Hop:
                Type: String
                AllowedValues: [Direct, Queue, Topic]
                Default: Direct
            Conditions:
              HopIsQueue: !Equals [!Ref Hop, Queue]
              HopIsTopic: !Equals [!Ref Hop, Topic]
              HopIsDirect: !Not [!Or [!Condition HopIsQueue, !Condition HopIsTopic]]
              HopIsQueueOrTopic: !And [!Not [!Condition HopIsDirect], !Or [!Condition HopIsQueue, !Condition HopIsTopic]]
            Resources:
              Consumer:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: Consumer
                  Runtime: java25
                  Handler: !If [HopIsQueue, consumer.Handler::handleQueueMessages, consumer.Handler::handleRequest]
                  Environment:
                    Variables:
                      QUEUE_URL: !If [HopIsQueue, !Ref Queue, !Ref AWS::NoValue]
                      HOP: !Ref Hop
              Queue:
                Type: AWS::SQS::Queue
                Condition: HopIsQueue
                Properties:
                  Tags:
                    - Key: hop
                      Value: queue
                    - !If [HopIsTopic, {Key: never, Value: here}, !Ref AWS::NoValue]
            Outputs:
              QueueUrl:
                Condition: HopIsQueue
                Value: !Ref Queue
              ConsumerName:
                Value: !Ref Consumer
            """;

    private static StackDefinition stack(String hop) {
        return stack(TEMPLATE, hop);
    }

    private static StackDefinition stack(String template, String hop) {
        return StackDefinition.resolve(SamTemplate.parse(template), Path.of("/templates"), "conditions",
                "us-east-1", "123456789012", Map.of("Hop", hop));
    }

    @Test
    void aResourceWhoseConditionIsFalseIsNotPartOfTheStack() {
        StackDefinition stack = stack("Direct");

        assertFalse(stack.exists("Queue"));
        assertTrue(stack.resources().stream().noneMatch(resource -> resource.logicalId().equals("Queue")));
    }

    @Test
    void aResourceWhoseConditionIsTrueIsDeployed() {
        StackDefinition stack = stack("Queue");

        assertTrue(stack.exists("Queue"));
        assertTrue(stack.resources().stream().anyMatch(resource -> resource.type().equals("AWS::SQS::Queue")));
    }

    @Test
    void anOutputWhoseConditionIsFalseIsLeftOut() {
        assertEquals(List.of("ConsumerName"), stack("Direct").outputs().stream().map(StackOutput::key).toList());
        assertEquals(List.of("QueueUrl", "ConsumerName"),
                stack("Queue").outputs().stream().map(StackOutput::key).toList());
    }

    @Test
    void fnIfPicksTheHandlerOfTheTrueBranch() {
        assertEquals("consumer.Handler::handleQueueMessages", stack("Queue").function("Consumer").handler());
        assertEquals("consumer.Handler::handleRequest", stack("Topic").function("Consumer").handler());
    }

    @Test
    void anEnvironmentVariableThatIsNoValueIsLeftOut() {
        assertEquals(Map.of("HOP", "Direct"), stack("Direct").function("Consumer").environment());
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/conditions-Queue",
                stack("Queue").function("Consumer").environment().get("QUEUE_URL"));
    }

    @Test
    void aListElementThatIsNoValueIsLeftOut() {
        assertEquals(List.of(Map.of("Key", "hop", "Value", "queue")),
                stack("Queue").resolvedProperties("Queue").get("Tags"));
    }

    @Test
    void conditionsCombineWithNotAndOrAndReferencesToOtherConditions() {
        assertTrue(stack("Topic").exists("Consumer"));
        String queueOrTopic = TEMPLATE.replace("Condition: HopIsQueue\n    Properties:",
                "Condition: HopIsQueueOrTopic\n    Properties:");

        assertTrue(stack(queueOrTopic, "Topic").exists("Queue"));
        assertFalse(stack(queueOrTopic, "Direct").exists("Queue"));
    }

    @Test
    void aReferenceToAResourceThatDoesNotExistIsRefusedWithTheFix() {
        String unguarded = TEMPLATE.replace("QUEUE_URL: !If [HopIsQueue, !Ref Queue, !Ref AWS::NoValue]",
                "QUEUE_URL: !Ref Queue");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> stack(unguarded, "Direct"));

        assertEquals("The template refers to Queue, whose condition is false in this stack, so it does not exist:"
                + " put the reference under the same condition (Fn::If).", refused.getMessage());
    }

    @Test
    void anUndeclaredConditionIsRefusedNamingTheDeclaredOnes() {
        String undeclared = TEMPLATE.replace("Condition: HopIsQueue\n    Properties:",
                "Condition: HopIsStream\n    Properties:");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> stack(undeclared, "Queue").resources());

        assertTrue(refused.getMessage().startsWith("The template uses condition HopIsStream, which its Conditions"
                + " section does not declare"), refused.getMessage());
    }
}
