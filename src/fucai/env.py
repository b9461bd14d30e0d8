"""Typed readers for environment variables; every bad value stops start-up with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is not a boolean; "
        "use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not an integer."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value} must be at least {minimum}."
        )
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value} must be at most {maximum}."
        )
    return value


def env_dir(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    path = Path(raw).expanduser() if raw else default
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(
            f"Environment variable {name}={str(path)!r} exists but is not a directory."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={str(path)!r}: cannot create it ({exc})."
        ) from None
    return path.resolve()


def env_database(name: str, sqlite_path: Path) -> dict:
    """DATABASE_URL when set (PostgreSQL or SQLite URLs), else the embedded SQLite file."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "OPTIONS": {"timeout": 30},
        }
    scheme = raw.split("://", 1)[0] if "://" in raw else raw.split(":", 1)[0]
    if scheme not in ("postgres", "postgresql", "sqlite") or "://" not in raw:
        # Only the scheme is echoed: the URL may carry a password.
        raise ImproperlyConfigured(
            f"Environment variable {name} uses {scheme!r}, which is not supported; use "
            "postgresql://user@host:port/db or sqlite:///path."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} cannot be parsed: {exc}") from None
    if config.get("NAME") in (None, "", ":memory:"):
        raise ImproperlyConfigured(
            f"Environment variable {name} names no database; add it to the URL, e.g. "
            "postgresql://user@host:5432/fucai or sqlite:////srv/fucai/fucai.sqlite3."
        )
    return config


def env_secret_key(name: str, key_file: Path) -> str:
    """The secret key from the environment, else one generated once into the data directory."""
    raw = os.environ.get(name)
    if raw is not None:
        if len(raw.strip()) < 32:
            raise ImproperlyConfigured(
                f"Environment variable {name} must be at least 32 characters long."
            )
        return raw.strip()
    if key_file.exists():
        key = key_file.read_text().strip()
        if len(key) < 32:
            raise ImproperlyConfigured(
                f"Environment variable {name} is not set and {key_file} holds no usable key; "
                f"delete the file to have a new key generated, or set {name}."
            )
        return key
    import secrets

    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def env_field_keys(name: str, key_file: Path) -> list[str]:
    """The personal-data keys (comma-separated Fernet keys, the first encrypts), else one key
    generated once into the data directory. Rotation: docs/personal-data.md."""
    from cryptography.fernet import Fernet

    raw = os.environ.get(name)
    origin = f"Environment variable {name}"
    if raw is None and key_file.exists():
        raw, origin = key_file.read_text(), f"Environment variable {name} is not set and {key_file}"
    if raw is None:
        key = Fernet.generate_key().decode()
        key_file.write_text(key)
        key_file.chmod(0o600)
        return [key]
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{origin}: no key given.")
    for n, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            # The keys themselves are never echoed.
            raise ImproperlyConfigured(
                f"{origin}: key {n} is not a Fernet key (32 url-safe base64-encoded bytes); make "
                "one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`."
            ) from None
    return keys


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list; set but empty is an error (e.g. no allowed host at all)."""
    raw = env_str(name, default)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} lists nothing; give a comma-separated list."
        )
    return items


def env_float(
    name: str, default: float, minimum: float | None = None, maximum: float | None = None
) -> float:
    """A finite decimal number (e.g. seconds), at least `minimum` if given."""
    import math

    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a number."
        ) from None
    if not math.isfinite(value):
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a finite number.")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} must be at least {minimum:g}."
        )
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} must be at most {maximum:g}."
        )
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices` (case-insensitive, surrounding blanks ignored)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not supported; use one of "
            f"{', '.join(choices)}."
        )
    return value


def env_text(name: str, default: str) -> str:
    """A non-blank text (surrounding blanks removed); set but blank is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip():
        raise ImproperlyConfigured(f"Environment variable {name} is set but blank.")
    return raw.strip()


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """`Header-Name: value` that a TLS-terminating proxy sets on requests it received over HTTPS,
    as Django's SECURE_PROXY_SSL_HEADER (`("HTTP_HEADER_NAME", "value")`); unset or empty: none."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not header or not value or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not 'Header-Name: value'; "
            "e.g. X-Forwarded-Proto: https."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_ATTACHMENTS = "fucai.core.attachments.storage.DataDirStorage"


def env_attachment_storage(name: str) -> dict:
    """The STORAGES entry of attachments (photos, PDFs): `filesystem` (the default) keeps them
    under FUCAI_DATA_DIR/attachments; `s3` in an S3-compatible bucket through django-storages (the
    optional `s3` extra), configured by FUCAI_S3_BUCKET, FUCAI_S3_ENDPOINT, FUCAI_S3_REGION and
    FUCAI_S3_ACCESS_KEY / FUCAI_S3_SECRET_KEY (both or neither: without them boto3 finds its own
    credentials). The keys are never echoed."""
    import importlib.util

    kind = env_choice(name, ("filesystem", "s3"), default="filesystem")
    if kind == "filesystem":
        return {"BACKEND": FILESYSTEM_ATTACHMENTS}
    bucket = os.environ.get("FUCAI_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            f"Environment variable {name}=s3 needs FUCAI_S3_BUCKET, the bucket's name."
        )
    endpoint = os.environ.get("FUCAI_S3_ENDPOINT", "").strip()
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"Environment variable FUCAI_S3_ENDPOINT={endpoint!r} is not an http(s) URL; "
            "e.g. https://minio.example.org:9000."
        )
    access_key = os.environ.get("FUCAI_S3_ACCESS_KEY", "").strip()
    secret_key = os.environ.get("FUCAI_S3_SECRET_KEY", "").strip()
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Environment variables FUCAI_S3_ACCESS_KEY and FUCAI_S3_SECRET_KEY go together: set "
            "both, or neither (boto3 then finds its credentials itself)."
        )
    missing = [m for m in ("storages", "boto3") if importlib.util.find_spec(m) is None]
    if missing:
        raise ImproperlyConfigured(
            f"Environment variable {name}=s3 needs django-storages with boto3, which is not "
            f"installed ({', '.join(missing)} missing): install fucai with its `s3` extra "
            "(`uv sync --extra s3`, or `pip install 'fucai[s3]'`), or unset "
            f"{name} to keep attachments under FUCAI_DATA_DIR."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": os.environ.get("FUCAI_S3_REGION", "").strip() or None,
        "file_overwrite": False,
        "default_acl": None,  # the bucket's own (private) policy; files are served by fucai
        "querystring_auth": True,
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
