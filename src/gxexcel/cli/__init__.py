"""The ``gxexcel`` command line. Each command lives in its own module of this package.

Commands are loaded lazily so that ``gxexcel spec`` does not import pandas or
xlwings. To add a command, add its module name to ``COMMANDS``; the module
exposes a click command named ``command``.
"""

from __future__ import annotations

import importlib

import click

from . import i18n

i18n.install()  # click's own words (Usage, Options, errors) in Chinese

# command name -> module in gxexcel.cli (each exposes ``command``)
COMMANDS: dict[str, str] = {
    "spec": "spec",
    "template": "template",
    "sample": "sample",
    "demo": "demo",
    "validate": "validate",
    "import": "import_",
    "narrate": "narrate",
    "report": "report",
    "merge": "merge",
    "addin": "addin",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        mod = COMMANDS.get(name)
        if mod is None:
            return None
        return importlib.import_module(f"{__name__}.{mod}").command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # while a command is loaded (pandas, openpyxl) or outside its guard
            from .common import interrupted

            interrupted(exc)


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="gxexcel", message="gxexcel %(version)s")
def cli() -> None:
    """gxexcel：政府信息公开工作年度报告的 Excel 模板、校验、正文生成与汇总工具。"""


def main() -> None:
    from .common import handle_termination, tolerate_narrow_consoles

    tolerate_narrow_consoles()
    handle_termination()
    cli(prog_name="gxexcel")
