"""The signing agent: runs on the official's computer and signs with their token through PKCS#11.

It needs Python 3.11+, pyHanko and python-pkcs11 only (no Django): `pip install -r agent/requirements.txt`.
The server never sees the private key: the agent fetches the exact PDF to sign through a one-time
link, asks for the token PIN, signs with the key of the registered certificate and uploads the
signed file through the matching one-time link. The protocol is in docs/signing.md.
"""

PROTOCOL_VERSION = 1
DEFAULT_PORT = 47321
