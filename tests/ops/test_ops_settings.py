"""Settings read from the environment: defaults, production switches, bad values."""



def test_defaults_are_the_embedded_development_setup(settings_with, tmp_path):
    got = settings_with(
        ["DEBUG", "DATABASES", "PHNEWS_INDEX_DIR", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
         "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "STORAGES"]
    )
    assert got["DEBUG"] is True
    assert got["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert got["DATABASES"]["default"]["NAME"] == str(tmp_path / "var" / "phnews.sqlite3")
    assert got["PHNEWS_INDEX_DIR"] == str(tmp_path / "var" / "whoosh_index")
    assert got["SECURE_SSL_REDIRECT"] is False
    assert got["SESSION_COOKIE_SECURE"] is False
    assert got["SECURE_HSTS_SECONDS"] == 0
    assert got["SECURE_PROXY_SSL_HEADER"] is None
    assert "Manifest" not in got["STORAGES"]["staticfiles"]["BACKEND"]


def test_debug_off_without_secret_key_refuses_to_start(django_process):
    done = django_process(["manage.py", "check"], DJANGO_DEBUG="false")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def test_https_switch_turns_on_every_transport_protection(settings_with, production_env):
    got = settings_with(
        ["DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS", "STORAGES"],
        **production_env,
    )
    assert got["DEBUG"] is False
    assert got["SECURE_SSL_REDIRECT"] is True
    assert got["SESSION_COOKIE_SECURE"] is True and got["CSRF_COOKIE_SECURE"] is True
    assert got["SECURE_HSTS_SECONDS"] == 31536000 and got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["ALLOWED_HOSTS"] == ["archive.example.cn"]
    assert got["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_single_parts_override_the_switch(settings_with, production_env):
    got = settings_with(
        ["SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS",
         "DATA_UPLOAD_MAX_MEMORY_SIZE"],
        **production_env,
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_SSL_REDIRECT="off",
        PHNEWS_TRUST_X_FORWARDED_PROTO="0",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://archive.example.cn, https://www.example.cn",
        DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE="1048576",
    )
    assert got["SECURE_HSTS_SECONDS"] == 3600
    assert got["SECURE_SSL_REDIRECT"] is False
    assert got["SECURE_PROXY_SSL_HEADER"] is None
    assert got["CSRF_TRUSTED_ORIGINS"] == ["https://archive.example.cn", "https://www.example.cn"]
    assert got["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1048576


def test_a_malformed_number_is_named_in_the_error(django_process):
    done = django_process(["manage.py", "check"], DJANGO_SECURE_HSTS_SECONDS="one year")
    assert done.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number" in done.stderr


def test_database_url_switches_to_postgresql(settings_with):
    got = settings_with(
        ["DATABASES"],
        DATABASE_URL="postgres://archivist:s3cret@db.internal:6432/phnews",
        DATABASE_CONN_MAX_AGE="120",
    )
    db = got["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "phnews", "archivist", "s3cret", "db.internal", 6432)
    assert db["CONN_MAX_AGE"] == 120
    assert db["CONN_HEALTH_CHECKS"] is True
    # The SQLite-only tuning must not leak into other engines.
    assert "init_command" not in db.get("OPTIONS", {})


def test_data_and_index_directories_come_from_the_environment(settings_with, tmp_path):
    got = settings_with(
        ["PHNEWS_DATA_DIR", "PHNEWS_INDEX_DIR", "HAYSTACK_CONNECTIONS"],
        PHNEWS_DATA_DIR=str(tmp_path / "pages"),
        PHNEWS_INDEX_DIR=str(tmp_path / "idx"),
    )
    assert got["PHNEWS_DATA_DIR"] == str(tmp_path / "pages")
    assert got["PHNEWS_INDEX_DIR"] == str(tmp_path / "idx")
    assert got["HAYSTACK_CONNECTIONS"]["default"]["PATH"] == str(tmp_path / "idx")
