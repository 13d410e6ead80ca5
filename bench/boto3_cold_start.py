"""boto3's side of bench/cold_start.sh: make an EC2 client and make one call."""
import sys

import boto3

boto3.client("ec2", region_name="us-east-1", endpoint_url=sys.argv[1]).describe_instances()
