def parse(uri):
    """Parses a redirect such as

        https://client.example.com/cb#access_token=q8w7e6r5t4y3&state=xyz

    into {"access_token": "q8w7e6r5t4y3", "refresh_token": "z9x8c7v6b5n4"}.
    """
