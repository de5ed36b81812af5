package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The one-line offline run: exit 0 when the trace is linked, 1 when the report's configuration breaks it. */
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
        return new CommandLine(new LocalCloudCommand()).execute(arguments);
    }

    @Test
    void runExitsZeroWhenTheCalleeJoinsTheTrace() {
        assertEquals(0, run());
    }

    @Test
    void runExitsOneWhenTheReportsConfigurationLosesTheCallee() {
        assertEquals(1, run("--trace-propagation=Disabled", "--triggered-tracing=PassThrough"));
    }
}
