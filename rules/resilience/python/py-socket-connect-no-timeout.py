import socket


def probe(host, port):
    # ruleid: py-socket-connect-no-timeout
    s = socket.create_connection((host, port))
    s.sendall(b"PING\r\n")
    return s.recv(64)


def probe_from(addr, src):
    # ruleid: py-socket-connect-no-timeout
    return socket.create_connection(addr, source_address=src)


def ok(addr):
    # ok: py-socket-connect-no-timeout
    return socket.create_connection(addr, timeout=5)


def ok_positional(addr):
    # ok: py-socket-connect-no-timeout
    return socket.create_connection(addr, 3.0)
