"""What X-Ray shows across an async hop, read with boto3 against the endpoint in AWS_ENDPOINT_URL; prints JSON.

Usage: hop_traces.py PRODUCER_TRACE_ID
Finds the traces whose consumer recorded the producer's trace id in its caller_trace_id annotation
(GetTraceSummaries with a filter expression): the producer's own when the hop joined it, another when it linked or
lost it. Reads them (BatchGetTraces) and reports the other trace's id and segments with their links, the producer's
segments, and the ids of every entity of the producer's trace.
"""
import datetime
import json
import sys

import boto3


def entities(document):
    yield document
    for child in document.get("subsegments", []):
        yield from entities(child)


def segments(xray, trace_id):
    traces = xray.batch_get_traces(TraceIds=[trace_id])["Traces"]
    return [json.loads(segment["Document"]) for trace in traces for segment in trace["Segments"]]


def main(producer):
    xray = boto3.client("xray")
    now = datetime.datetime.now(datetime.timezone.utc)
    summaries = xray.get_trace_summaries(
        StartTime=now - datetime.timedelta(minutes=10),
        EndTime=now + datetime.timedelta(minutes=1),
        FilterExpression='annotation.caller_trace_id = "%s"' % producer,
    )["TraceSummaries"]
    consumers = [summary["Id"] for summary in summaries]
    consumer = next((trace for trace in consumers if trace != producer), None)
    consumer_segments = segments(xray, consumer) if consumer else []
    producer_segments = segments(xray, producer)
    return {
        "traces_annotated": consumers,
        "consumer_trace_id": consumer,
        "consumer_segments": [
            {"origin": s.get("origin"), "name": s.get("name"), "parent_id": s.get("parent_id"),
             "links": s.get("links", [])}
            for s in consumer_segments
        ],
        "producer_segments": [
            {"origin": s.get("origin"), "name": s.get("name"), "parent_id": s.get("parent_id")}
            for s in producer_segments
        ],
        "producer_entity_ids": [e["id"] for s in producer_segments for e in entities(s)],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
