import smtplib
from smtplib import SMTP_SSL


def send(msg):
    # ruleid: py-smtp-no-timeout
    with smtplib.SMTP("mail.example.com", 587, timeout=10) as s:
        s.starttls()
        s.send_message(msg)


def send_ssl(msg, host):
    # ruleid: py-smtp-no-timeout
    with SMTP_SSL(host, 465, timeout=10) as s:
        s.send_message(msg)



def send_lmtp(msg):
    # ruleid: py-smtp-no-timeout
    with smtplib.LMTP(
        "/run/dovecot/lmtp", timeout=10
    ) as s:
        s.send_message(msg)

def ok(msg):
    # ok: py-smtp-no-timeout
    with smtplib.SMTP("mail.example.com", 587, timeout=10) as s:
        s.send_message(msg)



def ok_ssl_positional(msg):
    # ok: py-smtp-no-timeout
    with smtplib.SMTP_SSL("mail.example.com", 465, None, None, None, 10) as s:
        s.send_message(msg)

def ok_positional(msg):
    # ok: py-smtp-no-timeout
    with smtplib.SMTP("mail.example.com", 25, None, 10) as s:
        s.send_message(msg)
