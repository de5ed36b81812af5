package xrayasync.localcloud.harness;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The event file a command invokes the caller with. */
public final class EventOption {

    @Option(names = "--event", defaultValue = "events/triggering-event.json",
            description = "Event for the caller (default: ${DEFAULT-VALUE})")
    Path event;

    public byte[] read() throws IOException {
        return OptionFile.read(event, "--event", "a JSON event such as events/triggering-event.json");
    }
}
