package xrayasync.otel.triggering;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** The event TriggeringFunction is invoked with: any JSON value, as the console's Test button sends what was typed. */
final class TriggeringEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggeringEvent() {
    }

    /** Reads the event and rejects anything that is not JSON, saying what to send instead. */
    static void requireJson(InputStream event) throws IOException {
        try {
            JSON.readTree(event);
        } catch (JacksonException notJson) {
            throw new IllegalArgumentException("The event is not valid JSON (" + notJson.getOriginalMessage()
                    + "). Send a JSON value, for example {} or the content of events/triggering-event.json.", notJson);
        }
    }
}
