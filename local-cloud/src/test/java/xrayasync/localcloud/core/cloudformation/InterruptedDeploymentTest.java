package xrayasync.localcloud.core.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.TemporaryStore;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * A deployment the cloud did not finish (it crashed part-way: here a provider that never returns stands for the
 * crash) ends at the next start as CloudFormation ends one that cannot go on: rolled back, with what it had made
 * removed again.
 */
class InterruptedDeploymentTest {

    private static final String FIRST = """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
            """;
    private static final String SECOND = FIRST + """
              Failures:
                Type: AWS::SQS::Queue
              Artifacts:
                Type: AWS::S3::Bucket
            """;

    /** A crash in the middle of making a resource: nothing after it runs. */
    private static final class Crash extends Error {
    }

    /** The resources that exist, by logical id; it crashes when told to make the one named. */
    private static final class Provider implements ResourceProvisioner {
        final Set<String> made = ConcurrentHashMap.newKeySet();
        final String crashAt;

        Provider(String crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        public String provision(StackDefinition stack, ResourceDefinition resource) {
            if (resource.logicalId().equals(crashAt)) {
                throw new Crash();
            }
            made.add(resource.logicalId());
            return resource.physicalId();
        }

        @Override
        public void remove(StackDefinition stack, ResourceDefinition resource) {
            made.remove(resource.logicalId());
        }

        @Override
        public String template(String templateUrl) {
            throw new UnsupportedOperationException();
        }
    }

    @RegisterExtension
    final TemporaryStore temporary = new TemporaryStore();

    private CloudFormationService service(Provider provider) {
        Records stacks = temporary.store().records("cloudformation-stack");
        return new CloudFormationService("us-east-1", "123456789012", (body, name, parameters) ->
                StackDefinition.resolve(SamTemplate.parse(body), StackDefinition.CodeLocator.under(Path.of(".")),
                        name, "us-east-1", "123456789012", parameters), provider, stacks);
    }

    private static void deploy(CloudFormationService service, String template, String type) {
        StackRecords.ChangeSet changeSet = service.createChangeSet(new CloudFormationService.ChangeSetRequest("s",
                "c" + System.nanoTime(), type, template, Map.of(), List.of(), List.of(), null));
        service.executeChangeSet("s", changeSet.name());
    }

    private static void restart(CloudFormationService service) {
        service.restore(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aCreateCutShortIsRolledBackAndWhatItMadeRemoved() {
        Provider crashing = new Provider("Failures");
        assertThrows(Crash.class, () -> deploy(service(crashing), SECOND, "CREATE"));
        assertEquals(Set.of("Logs"), crashing.made);

        Provider after = new Provider(null);
        after.made.addAll(crashing.made);
        CloudFormationService restarted = service(after);
        restart(restarted);

        assertEquals("ROLLBACK_COMPLETE", restarted.stack("s").status());
        assertEquals(Set.of(), after.made);
    }

    @Test
    void anUpdateCutShortIsRolledBackToWhatWasDeployedBefore() {
        Provider first = new Provider("Artifacts");
        CloudFormationService service = service(first);
        deploy(service, FIRST, "CREATE");
        assertThrows(Crash.class, () -> deploy(service, SECOND, "UPDATE"));

        Provider after = new Provider(null);
        CloudFormationService restarted = service(after);
        restart(restarted);

        assertEquals("UPDATE_ROLLBACK_COMPLETE", restarted.stack("s").status());
        assertEquals(Set.of("Logs"), after.made);
        assertEquals(FIRST, restarted.stack("s").templateBody());
    }

    @Test
    void aFinishedDeploymentIsDeployedAgainAtStart() {
        deploy(service(new Provider(null)), SECOND, "CREATE");

        Provider after = new Provider(null);
        CloudFormationService restarted = service(after);
        restart(restarted);

        assertEquals("CREATE_COMPLETE", restarted.stack("s").status());
        assertEquals(Set.of("Logs", "Failures", "Artifacts"), after.made);
    }
}
