"""Copies one file to S3 and back with boto3's transfer manager (s3transfer), as applications do, pointed at
AWS_ENDPOINT_URL: upload_file (multipart above the threshold, parts in parallel) then download_file (ranged GETs in
parallel above it).

  s3_transfers.py BUCKET KEY SOURCE TARGET THRESHOLD_BYTES
"""
import sys

import boto3
from boto3.s3.transfer import TransferConfig

bucket, key, source, target, threshold = sys.argv[1:6]
config = TransferConfig(multipart_threshold=int(threshold), multipart_chunksize=int(threshold))
s3 = boto3.client("s3")
s3.upload_file(source, bucket, key, Config=config)
s3.download_file(bucket, key, target, Config=config)
