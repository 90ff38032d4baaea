"""Create a staff account in the editors (default) or checkers group.

The password is asked for twice, or read from an environment variable named
with --password-env for scripted set-ups (never on the command line, where
it would end up in shell history and the process list).
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.admin.groups import CHECKERS, EDITORS, ensure_groups


class Command(BaseCommand):
    help = "Create a staff user in the editors group (or --group checkers for read-only)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", choices=[EDITORS, CHECKERS], default=EDITORS)
        parser.add_argument("--email", default="")
        parser.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")

    def handle(self, *args, username, group, email, password_env, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户 {username} 已存在；请在管理后台修改其分组。")
        password = self._password(password_env, username)
        try:
            groups = ensure_groups()
        except RuntimeError as error:
            raise CommandError(str(error))
        user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
        user.groups.add(groups[group])
        self.stdout.write(f"已创建 {username}（{group}）。")

    def _password(self, password_env, username):
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"环境变量 {password_env} 未设置或为空。")
        else:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再输入一次："):
                raise CommandError("两次输入的密码不一致。")
        try:
            validate_password(password, get_user_model()(username=username))
        except ValidationError as error:
            raise CommandError("密码不合要求：" + " ".join(error.messages))
        return password
