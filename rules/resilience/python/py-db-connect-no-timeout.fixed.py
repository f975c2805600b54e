import os
import psycopg2
import psycopg


def get_conn():
    # ruleid: py-db-connect-no-timeout
    return psycopg2.connect(host=os.environ["DB_HOST"], dbname="app", user="app", connect_timeout=5)


def get_conn3():
    # ruleid: py-db-connect-no-timeout
    return psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5)



def get_conn_multiline():
    # ruleid: py-db-connect-no-timeout
    return psycopg2.connect(
        host=os.environ["DB_HOST"],
        dbname="app",
        user="app", connect_timeout=5,
    )

def ok_kw():
    # ok: py-db-connect-no-timeout
    return psycopg2.connect(host="db", dbname="app", connect_timeout=5)


def ok_dsn():
    # ok: py-db-connect-no-timeout
    return psycopg2.connect("host=db dbname=app connect_timeout=5")


def ok_forward(**params):
    # ok: py-db-connect-no-timeout
    return psycopg2.connect(**params)


def ok_dsn_builder_in_timed_connect():
    # ok: py-db-connect-no-timeout
    return psycopg2.connect(build_dsn(), connect_timeout=5)
