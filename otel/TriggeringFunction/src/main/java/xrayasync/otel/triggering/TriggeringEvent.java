package xrayasync.otel.triggering;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.InputStream;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** The event TriggeringFunction is invoked with: any JSON value, as the console's Test button sends what was typed. */
final class TriggeringEvent {

    private TriggeringEvent() {
    }

    /** Reads the event and rejects anything that is not JSON, saying what to send instead; an empty event passes. */
    static void requireJson(InputStream event) throws IOException {
        byte[] received = event.readAllBytes();
        if (RecordJson.isEmpty(received)) {
            return;
        }
        try {
            RecordJson.CODEC.anyFrom(received);
        } catch (JacksonException notJson) {
            throw new IllegalArgumentException("The event is not valid JSON (" + notJson.getOriginalMessage()
                    + "). Send a JSON value, for example {} or the content of events/triggering-event.json.", notJson);
        }
    }
}
