"""boto3's side of bench/call_rate.sh: sequential calls on one client, client CPU per call.

    python boto3_call_rate.py OP [-n N] --endpoint URL
"""
import argparse
import os
import resource
import time

import boto3
from botocore.config import Config

p = argparse.ArgumentParser()
p.add_argument("op", choices=["ddb_get_item", "s3_put_object", "s3_get_object"])
p.add_argument("-n", type=int, default=2000)
p.add_argument("--endpoint", required=True)
a = p.parse_args()
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
session = boto3.Session(region_name="us-east-1")
if a.op == "ddb_get_item":
    c = session.client("dynamodb", endpoint_url=a.endpoint)
    call = lambda: c.get_item(TableName="bench", Key={"pk": {"S": "user#1"}})
else:
    c = session.client("s3", endpoint_url=a.endpoint, config=Config(s3={"addressing_style": "path"}))
    if a.op == "s3_put_object":
        body = b"x" * 1024
        call = lambda: c.put_object(Bucket="bucket", Key="obj-1k", Body=body)
    else:
        call = lambda: c.get_object(Bucket="bucket", Key="obj-1k")["Body"].read()
for _ in range(max(a.n // 20, 10)):
    call()
r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
for _ in range(a.n):
    call()
r1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(f"boto3    {a.op:<14} n={a.n:<6} calls/s={a.n / (t1 - t0):>9.0f} cpu_us_per_call={cpu * 1e6 / a.n:>7.1f} wall_us_per_call={(t1 - t0) * 1e6 / a.n:>7.1f}")
