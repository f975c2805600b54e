import os
import subprocess
import sys


def ensure_dep():
    try:
        import pandas  # noqa: F401
    except ImportError:
        # ruleid: py-runtime-pip-install
        subprocess.check_call([sys.executable, "-m", "pip", "install", "pandas"])


def install_plugin(name):
    # ruleid: py-runtime-pip-install
    os.system("pip install " + name)


def legacy():
    import pip
    # ruleid: py-runtime-pip-install
    pip.main(["install", "requests"])


def ok_freeze():
    # ok: py-runtime-pip-install
    return subprocess.check_output([sys.executable, "-m", "pip", "freeze"], timeout=30)


def ok_other_tool():
    # ok: py-runtime-pip-install
    subprocess.run(["npm", "install"], check=True)
