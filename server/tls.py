"""TLS certificates made for the lesson: a private certificate authority and a server certificate.

nginx terminates TLS in front of the Flask-SocketIO servers (the deployment docs leave "SSL
support" to a "more complete configuration":
https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-nginx-as-a-websocket-reverse-proxy).
:func:`make_certificates` uses `trustme <https://trustme.readthedocs.io/>`_ to create a CA
that exists only for this lesson and a certificate it signs for ``127.0.0.1`` and
``localhost``. Clients trust that CA explicitly (``requests.Session().verify = ca``); nothing
is added to the system's trust store.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Certificates", "make_certificates"]


@dataclass(frozen=True)
class Certificates:
    """The PEM files :func:`make_certificates` wrote.

    :ivar ca: the CA certificate: what a client must trust (``verify=ca``).
    :ivar cert: the server certificate chain, for nginx's ``ssl_certificate``.
    :ivar key: the server's private key, for nginx's ``ssl_certificate_key``.
    :ivar spki_sha256: base64 SHA-256 of the server key's SubjectPublicKeyInfo: the value
        Chromium's ``--ignore-certificate-errors-spki-list`` takes to trust exactly this key.
    """

    ca: Path
    cert: Path
    key: Path
    spki_sha256: str


def make_certificates(directory: str | Path | None = None,
                      hostnames: tuple[str, ...] = ("127.0.0.1", "localhost")) -> Certificates:
    """Create a private CA and a server certificate it signs, as PEM files.

    :param directory: where to write ``ca.pem``, ``server.pem`` and ``server.key``;
        ``None`` (default) makes a new temporary directory (the caller removes it).
    :param hostnames: the names and IP addresses the certificate is valid for.
    :returns: a :class:`Certificates` with the three paths.
    :raises OSError: if the files cannot be written.
    """
    import trustme
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="tls-"))
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="flask-socketio-lab lesson CA")
    server = ca.issue_cert(*hostnames)
    paths = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key", "")
    ca.cert_pem.write_to_path(str(paths.ca))
    server.private_key_pem.write_to_path(str(paths.key))
    paths.cert.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    paths.key.chmod(0o600)
    leaf = x509.load_pem_x509_certificate(server.cert_chain_pems[0].bytes())
    spki = leaf.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return Certificates(paths.ca, paths.cert, paths.key,
                        base64.b64encode(hashlib.sha256(spki).digest()).decode())


def trusting_session(ca: str | Path):
    """A ``requests.Session`` that trusts ``ca`` (and only it) for ``https://`` and ``wss://``.

    Give it to a python-socketio client: ``socketio.Client(http_session=session)``; its
    long-polling requests go through the session, and its WebSocket connection reads
    ``session.verify`` as the CA file (``engineio/client.py``, ``_connect_websocket``).

    ``trust_env = False`` matters: with it on (the default), requests lets the
    ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` environment variables replace
    ``session.verify`` on every request (``requests/sessions.py``,
    ``merge_environment_settings``), so the lesson's CA would be ignored on machines that
    set them. It also ignores proxy variables, which a 127.0.0.1 connection does not need.

    :param ca: path of the CA certificate (PEM), e.g. ``Certificates.ca``.
    :returns: the session.
    """
    import requests

    session = requests.Session()
    session.verify = str(ca)
    session.trust_env = False
    return session
