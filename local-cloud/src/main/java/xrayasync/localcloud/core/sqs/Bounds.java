package xrayasync.localcloud.core.sqs;

/** The whole numbers a parameter or queue attribute of SQS takes, and the error for any other value. */
record Bounds(String parameter, long minimum, long maximum) {

    /** The value when it is a whole number within the bounds; the error otherwise. */
    long check(String value, SqsError error) {
        try {
            long number = Long.parseLong(value.trim());
            if (number >= minimum && number <= maximum) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below, as a number out of bounds is.
        }
        throw error.with("Value " + value + " for parameter " + parameter + " is invalid: give a whole number from "
                + minimum + " to " + maximum + ".");
    }

    int check(int value) {
        return (int) check(Integer.toString(value), SqsError.INVALID_PARAMETER_VALUE);
    }
}
