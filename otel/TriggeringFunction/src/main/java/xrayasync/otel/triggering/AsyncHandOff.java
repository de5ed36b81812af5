package xrayasync.otel.triggering;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** One way of handing the payload to TriggeredFunction asynchronously, through one AWS service's instrumented client. */
interface AsyncHandOff {

    /**
     * What the service answered when it accepted the payload.
     *
     * @param statusCode the HTTP status of the accepting response (202 for Lambda's Event invoke, 200 for the others)
     * @param id the id the service gave the hand-off (SQS or SNS message id, EventBridge event id), or null for Lambda,
     *           which gives none
     */
    record Answer(int statusCode, String id) {

        /** The answer as the log line says it: the status, and the id when there is one. */
        String describe() {
            return "HTTP " + statusCode + (id == null ? "" : ", id " + id);
        }
    }

    /** The hop this hand-off uses. */
    AsyncHop hop();

    /** Where the payload goes: the function, queue URL, topic ARN or event bus name configured for the hop. */
    String target();

    /** Sends the payload and returns the service's answer, or throws with what went wrong and what to do. */
    Answer send(byte[] payload);
}
