import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# ruleid: py-django-debug-true
DEBUG = True

ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "shop",
]

if os.environ.get("LOCAL_DEV"):
    # ok: py-django-debug-true
    DEBUG = True


class TestOverrides:
    # ok: py-django-debug-true
    DEBUG = True


def enable_for_tests(settings):
    # ok: py-django-debug-true
    DEBUG = True
    return settings

TEMPLATE_DEBUG = False
# ruleid: py-django-debug-true
DEBUG = True
