"""SQS calls as a boto3 user makes them, against the endpoint in AWS_ENDPOINT_URL; prints what came back as JSON.

Steps:
  lifecycle NAME   create a queue, send a message with attributes, receive it, delete it, count what is left
  missing NAME     ask for the URL of a queue that does not exist, and report the error boto3 raised
"""
import base64
import json
import sys

import boto3


def lifecycle(sqs, name):
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
    sent = sqs.send_message(
        QueueUrl=url,
        MessageBody="from boto3",
        MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "test"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    received = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"]
    )["Messages"]
    message = received[0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return {
        "url": url,
        "sentMd5OfMessageAttributes": sent["MD5OfMessageAttributes"],
        "body": message["Body"],
        "md5OfBody": message["MD5OfBody"],
        "md5OfMessageAttributes": message["MD5OfMessageAttributes"],
        "kind": message["MessageAttributes"]["kind"]["StringValue"],
        "blob": base64.b64encode(message["MessageAttributes"]["blob"]["BinaryValue"]).decode(),
        "receiveCount": message["Attributes"]["ApproximateReceiveCount"],
        "left": attributes["ApproximateNumberOfMessages"],
        "visibilityTimeout": attributes["VisibilityTimeout"],
    }


def missing(sqs, name):
    try:
        sqs.get_queue_url(QueueName=name)
    except sqs.exceptions.QueueDoesNotExist as error:
        return {"exception": "QueueDoesNotExist", "code": error.response["Error"]["Code"],
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    return {"exception": None}


def main():
    step, name = sys.argv[1], sys.argv[2]
    sqs = boto3.client("sqs")
    print(json.dumps({"lifecycle": lifecycle, "missing": missing}[step](sqs, name)))


if __name__ == "__main__":
    main()
