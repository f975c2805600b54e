import ssl
import urllib.request


def fetch(url):
    # ruleid: py-ssl-unverified-context
    ctx = ssl.create_default_context()
    return urllib.request.urlopen(url, context=ctx, timeout=10).read()



def legacy_ctx():
    # arguments do not carry over to create_default_context(): reported, no fix
    # ruleid: py-ssl-unverified-context
    return ssl._create_unverified_context(ssl.PROTOCOL_TLS_CLIENT)

# ruleid: py-ssl-unverified-context
ssl._create_default_https_context = ssl._create_unverified_context


def insecure_ctx():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    # ruleid: py-ssl-unverified-context
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def ok_default():
    # ok: py-ssl-unverified-context
    return ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")


def ok_required():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ok: py-ssl-unverified-context
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def ok_configurable(verify):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if not verify:
        ctx.check_hostname = False
        # ok: py-ssl-unverified-context
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
