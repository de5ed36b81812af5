package xrayasync.localcloud.core.events;

import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.LimitExceededException;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The errors EventBridge answers with: a modelled error's code is its shape name (the SDK's exception class), as the
 * EventBridge API reference lists them per action (for example
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#API_PutRule_Errors);
 * ValidationException, which no action models, is the common error of a parameter that is not valid
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html).
 */
enum EventsError {
    RESOURCE_NOT_FOUND(ResourceNotFoundException.class, 400),
    RESOURCE_ALREADY_EXISTS(ResourceAlreadyExistsException.class, 400),
    INVALID_EVENT_PATTERN(InvalidEventPatternException.class, 400),
    LIMIT_EXCEEDED(LimitExceededException.class, 400),
    VALIDATION(null, 400);

    private final String code;
    private final int status;

    EventsError(Class<? extends Exception> modelled, int status) {
        this.code = modelled == null ? "ValidationException" : modelled.getSimpleName();
        this.status = status;
    }

    /** This error with a message for the person reading it. */
    ServiceException with(String message) {
        return new ServiceException(status, code, message);
    }
}
