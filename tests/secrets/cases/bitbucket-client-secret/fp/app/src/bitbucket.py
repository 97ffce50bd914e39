import os

bitbucket_client_secret = os.getenv("BITBUCKET_CLIENT_SECRET")
