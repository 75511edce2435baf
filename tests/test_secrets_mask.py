"""Which inspect values look secret, and how they are masked."""

from __future__ import annotations

import copy

import pytest

from tui.secrets_mask import MASK, looks_secret, mask_document, mask_string, mask_value


@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "db_password", "MYSQL_ROOT_PASSWD", "PGPASS", "API_KEY", "apiKey", "GITHUB_TOKEN",
     "AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "BASIC_AUTH", "PRIVATE_KEY_PATH",
     "traefik.http.middlewares.auth.basicauth.users", "--password"],
)
def test_secret_names(name):
    assert looks_secret(name)


@pytest.mark.parametrize("name", ["PATH", "HOME", "LANG", "Hostname", "Image", "org.opencontainers.image.authors"])
def test_ordinary_names(name):
    assert not looks_secret(name)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("DB_PASSWORD=hunter2", f"DB_PASSWORD={MASK}"),
        ("API_KEY=abc def", f"API_KEY={MASK}"),
        ("DB_PASSWORD=", "DB_PASSWORD="),
        ("PATH=/usr/bin:/bin", "PATH=/usr/bin:/bin"),
        ("--password=x", f"--password={MASK}"),
        ('sh -c "export TOKEN=abc && run"', f'sh -c "export TOKEN={MASK} && run"'),
        ("JAVA_OPTS=-Dx=1 -Dssl.keyStorePassword=changeit", f"JAVA_OPTS=-Dx=1 -Dssl.keyStorePassword={MASK}"),
        ("http://h/?a=1&api_key=zz&b=2", f"http://h/?a=1&api_key={MASK}&b=2"),
        ("DATABASE_URL=postgres://app:s3cret@db:5432/app", f"DATABASE_URL=postgres://app:{MASK}@db:5432/app"),
        ("plain words", "plain words"),
    ],
)
def test_mask_string(raw, masked):
    assert mask_string(raw) == masked


def test_mask_value():
    assert mask_value("hunter2", secret=True) == MASK
    assert mask_value(1234, secret=True) == MASK
    assert mask_value("", secret=True) == ""
    assert mask_value(True, secret=True) is True
    assert mask_value(None, secret=True) is None
    assert mask_value("hunter2", secret=False) == "hunter2"


def test_mask_document_masks_env_keys_and_sections_without_touching_the_original():
    document = {
        "Config": {
            "Env": ["PATH=/bin", "DB_PASSWORD=hunter2"],
            "Labels": {"app": "web", "com.example.api-token": "t0k3n"},
        },
        "Auth": {"user": "admin", "enabled": True},
        "SandboxKey": "",
    }
    original = copy.deepcopy(document)
    masked = mask_document(document)
    assert document == original
    assert masked["Config"]["Env"] == ["PATH=/bin", f"DB_PASSWORD={MASK}"]
    assert masked["Config"]["Labels"] == {"app": "web", "com.example.api-token": MASK}
    assert masked["Auth"] == {"user": MASK, "enabled": True}
    assert "hunter2" not in repr(masked) and "t0k3n" not in repr(masked)
