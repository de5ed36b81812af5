package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line: the one-line offline run exits 0 when the trace is linked and 1 when the report's configuration
 * breaks it; errors a user can meet end in a sentence and exit 2, never a stack trace.
 */
class LocalCloudCommandTest {

    @TempDir
    Path work;

    private int run(String... extra) {
        String[] arguments = new String[6 + extra.length];
        arguments[0] = "run";
        arguments[1] = "--template=" + LocalCloudFixture.ROOT.resolve("template.yaml");
        arguments[2] = "--event=" + LocalCloudFixture.ROOT.resolve("events/triggering-event.json");
        arguments[3] = "--work-dir=" + work;
        arguments[4] = "--retry-delay=PT0.2S";
        arguments[5] = "--timeout=PT40S";
        System.arraycopy(extra, 0, arguments, 6, extra.length);
        return LocalCloudCommand.commandLine().execute(arguments);
    }

    @Test
    void runExitsZeroWhenTheCalleeJoinsTheTrace() {
        assertEquals(0, run());
    }

    @Test
    void runExitsOneWhenTheReportsConfigurationLosesTheCallee() {
        assertEquals(1, run("--trace-propagation=Disabled", "--triggered-tracing=PassThrough"));
    }

    private static int execute(StringWriter errors, String... arguments) {
        return LocalCloudCommand.commandLine().setErr(new PrintWriter(errors, true)).execute(arguments);
    }

    @Test
    void runWithAnEventFileThatIsNotThereNamesTheFileAndTheOption() {
        StringWriter errors = new StringWriter();

        int exit = execute(errors, "run", "--template=" + LocalCloudFixture.ROOT.resolve("template.yaml"),
                "--event=/nonexistent.json", "--work-dir=" + work);

        assertEquals(2, exit);
        assertTrue(errors.toString().startsWith("local-cloud run: There is no file /nonexistent.json (--event): give a"
                + " JSON event"), errors.toString());
    }

    @Test
    void runWithAHopThatIsNotOneListsTheHopsBeforeStartingAnything() {
        StringWriter errors = new StringWriter();

        int exit = execute(errors, "run", "--template=" + LocalCloudFixture.ROOT.resolve("template.yaml"),
                "--hop=kafka", "--work-dir=" + work.resolve("unstarted"));

        assertEquals(2, exit);
        assertEquals("local-cloud run: --hop kafka is not a hop: use one of lambda, sqs, sns, eventbridge, e.g."
                + " --hop sqs.", errors.toString().strip());
        assertFalse(Files.exists(work.resolve("unstarted")));
    }

    @Test
    void serveWithATemplateThatIsNotThereNamesTheFileAndTheOptionBeforeMakingTheWorkFolder() {
        StringWriter errors = new StringWriter();

        int exit = execute(errors, "serve", "--port=0", "--template=nope.yaml", "--work-dir=" + work.resolve("new"));

        assertEquals(2, exit);
        assertTrue(errors.toString().startsWith("local-cloud serve: There is no file nope.yaml (--template): give a SAM"
                + " template"), errors.toString());
        assertFalse(Files.exists(work.resolve("new")));
    }

    @Test
    void serveOnATakenPortSaysSoAndExitsTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter errors = new StringWriter();

            int exit = execute(errors, "serve", "--port=" + taken.getLocalPort(),
                    "--template=" + LocalCloudFixture.ROOT.resolve("template.yaml"), "--work-dir=" + work);

            assertEquals(2, exit);
            assertTrue(errors.toString().contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is taken"),
                    errors.toString());
            assertFalse(errors.toString().contains("\tat "), "no stack trace: " + errors);
        }
    }

    @Test
    void traceCheckAgainstAnEndpointWhereNothingListensSaysWhatToDo() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        StringWriter errors = new StringWriter();

        int exit = execute(errors, "trace-check", "--function-name=anything", "--endpoint-url=http://127.0.0.1:" + closed,
                "--event=" + LocalCloudFixture.ROOT.resolve("events/triggering-event.json"));

        assertEquals(2, exit);
        assertTrue(errors.toString().contains("could not reach the endpoint"), errors.toString());
        assertFalse(errors.toString().contains("\tat "), "no stack trace: " + errors);
    }

    @Test
    void runOfAFunctionThatIsNotBuiltSaysHowToBuildIt() throws Exception {
        Path template = work.resolve("unbuilt.yaml");
        Files.writeString(template, """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Lonely:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: nowhere
                      Handler: example.Handler::handleRequest
                      Runtime: java25
                """);
        StringWriter errors = new StringWriter();

        int exit = execute(errors, "run", "--template=" + template, "--caller=Lonely", "--callee=Lonely",
                "--event=" + LocalCloudFixture.ROOT.resolve("events/triggering-event.json"), "--work-dir=" + work);

        assertEquals(2, exit);
        assertTrue(errors.toString().contains("Lonely is not built") && errors.toString().contains("sam build")
                        && errors.toString().contains("./mvnw package"),
                errors.toString());
    }

    @Test
    void traceCheckAgainstTheLocalCloudsOneEndpointLinks() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, java.util.Map.of())) {
            int exit = execute(new StringWriter(), "trace-check", "--endpoint-url=" + fixture.cloud.endpoint(),
                    "--function-name=" + fixture.functionName("TriggeringFunction"), "--timeout=PT40S",
                    "--event=" + LocalCloudFixture.ROOT.resolve("events/triggering-event.json"));

            assertEquals(0, exit);
        }
    }

    @Test
    void traceCheckFindsTheStacksFunctionsByTheirTagsOnTheLocalCloud() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, java.util.Map.of())) {
            int exit = execute(new StringWriter(), "trace-check", "--endpoint-url=" + fixture.cloud.endpoint(),
                    "--stack-name=xray-async", "--timeout=PT40S",
                    "--event=" + LocalCloudFixture.ROOT.resolve("events/triggering-event.json"));

            assertEquals(0, exit);
        }
    }
}
