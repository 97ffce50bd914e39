import os
from getpass import getpass

password = os.environ.get("DB_PASSWORD")
secret = getpass.getpass()
token = None
api_key = settings.partner_api_key
self.password = password
access_key = load_access_key()
