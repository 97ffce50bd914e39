"""Tells PEM blocks apart."""

PRIVATE_HEADER = "-----BEGIN PRIVATE KEY-----"
RSA_HEADER = "-----BEGIN RSA PRIVATE KEY-----"


def kind(text: str) -> str:
    if text.startswith(PRIVATE_HEADER) or text.startswith(RSA_HEADER):
        return "private key (keep it out of images and logs)"
    return "other"


PRIVATE_FOOTER = "-----END PRIVATE KEY-----"
