package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.harness.ProjectRoot;

/** Every command the README and docs/ tell a reader to type still matches the project, so the docs cannot rot. */
class DocumentedCommandsTest {

    private static Path root;
    private static DocumentedCommands commands;

    @BeforeAll
    static void readProject() throws IOException {
        root = ProjectRoot.locate();
        commands = new DocumentedCommands(root);
    }

    @Test
    void everyShellCommandInTheReadmeAndDocsMatchesTheProject() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            documents.addAll(docs.filter(path -> path.toString().endsWith(".md")).sorted().toList());
        }
        assertTrue(documents.size() > 1, "No document under docs/: this check found nothing but the README.");
        List<DocumentedCommands.Problem> problems = new ArrayList<>();
        for (Path document : documents) {
            problems.addAll(commands.check(root.relativize(document).toString(), Files.readString(document)));
        }
        assertEquals(List.of(), problems, () -> "Commands in the docs that the project does not have; fix the document"
                + " (or the project):\n" + problems.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void aMisspeltLocalCloudFlagIsCaught() {
        assertProblem("java -jar local-cloud/target/local-cloud.jar benchmark --cold-start 5",
                "local-cloud benchmark has no flag --cold-start");
    }

    @Test
    void anUnknownLocalCloudSubcommandIsCaught() {
        assertProblem("java -jar local-cloud/target/local-cloud.jar serv --port 4566",
                "local-cloud has no subcommand 'serv'");
    }

    @Test
    void aRunOfflineFlagIsCheckedAgainstTheScriptAndLocalCloudRun() {
        assertProblem("./run-offline --trace-propogation Disabled", "./run-offline has no flag --trace-propogation");
        assertProblem("./run-offline --flavor opentelemetry", "./run-offline --flavor takes [xray, otel]");
        assertNoProblem("./run-offline --flavor otel --callee-flavor xray --triggered-tracing PassThrough");
    }

    @Test
    void aSamConfigEnvironmentMustBeInSamconfig() {
        assertProblem("sam build --config-env otl && sam deploy", "samconfig.toml has no environment 'otl'");
        assertNoProblem("sam build --config-env otel && sam deploy --config-env otel --guided");
    }

    @Test
    void aNamedFileMustExistUnlessABuildMakesIt() {
        assertProblem("sam remote invoke TriggeringFunction --event-file events/triggering.json",
                "events/triggering.json is not in the repository");
        assertProblem("java -jar nowhere/target/x.jar", "nowhere/target/x.jar is the build output of nowhere/");
        assertNoProblem("java -jar local-cloud/target/local-cloud.jar serve --template otel/.aws-sam/build/template.yaml");
    }

    @Test
    void commentsAndOutputBlocksAreNotCommands() {
        assertNoProblem("./verify   # --no-such-flag in a comment");
        assertEquals(List.of(), commands.check("doc.md", "```\n./run-offline --no-such-flag\n```\n"));
    }

    private static void assertProblem(String command, String reason) {
        List<DocumentedCommands.Problem> problems = commands.check("doc.md", "```bash\n" + command + "\n```\n");
        assertFalse(problems.isEmpty(), command + " passed");
        assertTrue(problems.stream().anyMatch(problem -> problem.reason().startsWith(reason)),
                reason + " not among " + problems);
    }

    private static void assertNoProblem(String command) {
        assertEquals(List.of(), commands.check("doc.md", "```bash\n" + command + "\n```\n"));
    }
}
