"""`manage.py check --deploy` with the production environment, in a subprocess."""


def test_deploy_check_is_clean_with_production_settings(django_process, production_env):
    done = django_process(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_deploy_check_flags_a_plain_http_setup(django_process, production_env):
    # The same check must fail when the HTTPS protections are missing,
    # or the clean result above would prove nothing.
    env = {**production_env, "PHNEWS_HTTPS": "false"}
    done = django_process(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_deploy_check_rejects_a_weak_secret_key(django_process, production_env):
    env = {**production_env, "DJANGO_SECRET_KEY": "short"}
    done = django_process(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert done.returncode != 0
    assert "security.W009" in done.stderr
