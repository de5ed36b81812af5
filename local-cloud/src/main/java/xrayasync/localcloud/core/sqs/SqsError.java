package xrayasync.localcloud.core.sqs;

import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidAddressException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeValueException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.model.UnsupportedOperationException;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The errors SQS answers with, each under two codes: the AWS JSON one is the error's shape name (the SDK's exception
 * class without "Exception"), and the query one is what SQS answered before it spoke JSON, which it still sends in
 * {@code x-amzn-query-error} and clients report as the error code. Codes and statuses as the Amazon SQS API Reference
 * lists them per action (for example https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html#API_GetQueueUrl_Errors)
 * and as the service's Smithy model's {@code awsQueryError} traits give the query codes; errors no action models
 * (InvalidParameterValue, MissingParameter) are SQS's common errors, the same code in both protocols
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
 */
enum SqsError {
    QUEUE_DOES_NOT_EXIST(QueueDoesNotExistException.class, 400, "AWS.SimpleQueueService.NonExistentQueue"),
    QUEUE_NAME_EXISTS(QueueNameExistsException.class, 400, "QueueAlreadyExists"),
    RECEIPT_HANDLE_IS_INVALID(ReceiptHandleIsInvalidException.class, 404, "ReceiptHandleIsInvalid"),
    MESSAGE_NOT_INFLIGHT(MessageNotInflightException.class, 400, "AWS.SimpleQueueService.MessageNotInflight"),
    INVALID_ATTRIBUTE_NAME(InvalidAttributeNameException.class, 400, "InvalidAttributeName"),
    INVALID_ATTRIBUTE_VALUE(InvalidAttributeValueException.class, 400, "InvalidAttributeValue"),
    INVALID_ADDRESS(InvalidAddressException.class, 404, "InvalidAddress"),
    INVALID_MESSAGE_CONTENTS(InvalidMessageContentsException.class, 400, "InvalidMessageContents"),
    EMPTY_BATCH_REQUEST(EmptyBatchRequestException.class, 400, "AWS.SimpleQueueService.EmptyBatchRequest"),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST(TooManyEntriesInBatchRequestException.class, 400,
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
    BATCH_ENTRY_IDS_NOT_DISTINCT(BatchEntryIdsNotDistinctException.class, 400,
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
    INVALID_BATCH_ENTRY_ID(InvalidBatchEntryIdException.class, 400, "AWS.SimpleQueueService.InvalidBatchEntryId"),
    UNSUPPORTED_OPERATION(UnsupportedOperationException.class, 400, "AWS.SimpleQueueService.UnsupportedOperation"),
    INVALID_PARAMETER_VALUE(null, 400, "InvalidParameterValue"),
    MISSING_PARAMETER(null, 400, "MissingParameter");

    private final String shapeName;
    private final int status;
    private final String queryCode;

    SqsError(Class<? extends Exception> modelled, int status, String queryCode) {
        this.shapeName = modelled == null ? queryCode : modelled.getSimpleName().replaceFirst("Exception$", "");
        this.status = status;
        this.queryCode = queryCode;
    }

    /** This error with a message for the person reading it. */
    ServiceException with(String message) {
        return new ServiceException(status, shapeName, queryCode, message);
    }
}
