package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI's own deployment path against the local cloud: {@code aws cloudformation package} uploads what
 * {@code sam build} built to the local S3, {@code aws cloudformation deploy} creates and then updates the stack through
 * change sets and botocore's waiters, {@code delete-stack} removes it; and the S3 object calls of {@code aws s3api}.
 */
class AwsCliDeployTest {

    private static final String BUCKET = "cli-artifacts";

    @TempDir
    static Path work;

    private static LocalCloudFixture fixture;
    private static AwsCli cli;
    private static Path packaged;

    @BeforeAll
    static void packageTheBuild() throws Exception {
        fixture = new LocalCloudFixture(work.resolve("cloud"), Map.of());
        cli = AwsCli.find(fixture.cloud.endpoint()).orElse(null);
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
        Path built = SamBuildLayout.write(LocalCloudFixture.ROOT.resolve("template.yaml"), work);
        cli.run("s3api", "create-bucket", "--bucket", BUCKET);
        packaged = work.resolve("packaged.yaml");
        cli.run("cloudformation", "package", "--template-file", built.toString(), "--s3-bucket", BUCKET,
                "--output-template-file", packaged.toString());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static JsonNode stack(String name) throws Exception {
        return cli.json("cloudformation", "describe-stacks", "--stack-name", name).path("Stacks").get(0);
    }

    @Test
    void packageUploadsTheCodeAndPointsTheTemplateAtIt() throws Exception {
        String template = Files.readString(packaged);

        assertTrue(template.contains("CodeUri: s3://" + BUCKET + "/"), template);
        assertEquals(2, cli.json("s3api", "list-objects-v2", "--bucket", BUCKET).path("Contents")
                .findValuesAsText("Key").stream().filter(key -> !key.startsWith("notes/")).count());
    }

    @Test
    void deployCreatesTheStackAndASecondDeployUpdatesIt() throws Exception {
        cli.run("cloudformation", "deploy", "--template-file", packaged.toString(), "--stack-name", "cli-created",
                "--capabilities", "CAPABILITY_IAM");

        assertEquals("CREATE_COMPLETE", stack("cli-created").path("StackStatus").asText());
        assertEquals("1", cli.json("lambda", "get-alias", "--function-name", "cli-created-TriggeringFunction",
                "--name", "live").path("FunctionVersion").asText());

        cli.run("cloudformation", "deploy", "--template-file", packaged.toString(), "--stack-name", "cli-created",
                "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "TracePropagation=Disabled");

        assertEquals("UPDATE_COMPLETE", stack("cli-created").path("StackStatus").asText());
        assertEquals("2", cli.json("lambda", "get-alias", "--function-name", "cli-created-TriggeringFunction",
                "--name", "live").path("FunctionVersion").asText());
    }

    @Test
    void deleteStackRemovesTheStack() throws Exception {
        cli.run("cloudformation", "deploy", "--template-file", packaged.toString(), "--stack-name", "cli-deleted",
                "--capabilities", "CAPABILITY_IAM");

        cli.run("cloudformation", "delete-stack", "--stack-name", "cli-deleted");
        cli.run("cloudformation", "wait", "stack-delete-complete", "--stack-name", "cli-deleted");

        assertTrue(cli.fail("cloudformation", "describe-stacks", "--stack-name", "cli-deleted")
                .contains("Stack with id cli-deleted does not exist"));
        assertEquals(0, cli.json("lambda", "list-functions").path("Functions").findValuesAsText("FunctionName")
                .stream().filter(name -> name.startsWith("cli-deleted")).count());
    }

    @Test
    void s3apiPutsHeadsListsGetsAndDeletesObjects() throws Exception {
        Path file = work.resolve("object.txt");
        Files.writeString(file, "offline object");

        String etag = cli.json("s3api", "put-object", "--bucket", BUCKET, "--key", "notes/object.txt", "--body",
                file.toString()).path("ETag").asText();
        JsonNode head = cli.json("s3api", "head-object", "--bucket", BUCKET, "--key", "notes/object.txt");
        JsonNode listed = cli.json("s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "notes/");
        cli.json("s3api", "get-object", "--bucket", BUCKET, "--key", "notes/object.txt",
                work.resolve("downloaded.txt").toString());
        cli.run("s3api", "delete-object", "--bucket", BUCKET, "--key", "notes/object.txt");

        assertEquals(etag, head.path("ETag").asText());
        assertEquals(14, head.path("ContentLength").asInt());
        assertEquals("notes/object.txt", listed.path("Contents").get(0).path("Key").asText());
        assertEquals("offline object", Files.readString(work.resolve("downloaded.txt")));
        assertEquals(0, cli.json("s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "notes/")
                .path("KeyCount").asInt());
    }
}
