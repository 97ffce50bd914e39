"""Loads Google credentials from the file named by GOOGLE_APPLICATION_CREDENTIALS."""
import json
import os


def load(path=None):
    path = path or os.environ["GOOGLE_APPLICATION_CREDENTIALS"]
    with open(path) as f:
        info = json.load(f)
    if info.get("type") != "service_account":
        raise ValueError("not a service_account key file")
    if "private_key" not in info:
        raise ValueError("missing private_key")
    return info
