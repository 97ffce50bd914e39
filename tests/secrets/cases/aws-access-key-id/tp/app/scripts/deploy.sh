#!/bin/sh
set -eu
export AWS_ACCESS_KEY_ID=AKIADHHNHRLHUO45M3AD
aws s3 sync ./dist s3://acme-web-assets/
