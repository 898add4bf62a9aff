"""What every command shares: the console, error handling, exit codes."""

from __future__ import annotations

import codecs
import functools
import io
import json
import os
import sys
from typing import Any, Callable, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from ..errors import GxError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 no error, 1 findings with errors, 2 a file cannot be used, 3 internal error,
#: 130 Ctrl+C, 143 SIGTERM.
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it
EXIT_TERMINATED = 143  # SIGTERM (kill, a shutdown, a scheduler stopping the job), as shells report it


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so that it unwinds as for Ctrl+C: the temporary
    file of an output being written is removed and the previous output left as it was."""


def handle_termination() -> None:
    """Treat SIGTERM as Ctrl+C in this process (not where it is ignored, as under some
    schedulers, nor where the platform has no such signal to receive). Processes forked from
    this one (the reading pool) end at once on SIGTERM, as before: they write nothing."""
    import signal

    term = getattr(signal, "SIGTERM", None)
    if term is None or signal.getsignal(term) is not signal.SIG_DFL:
        return
    owner = os.getpid()

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signum, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        if os.getpid() != owner:  # a forked reading process: end as it would have
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    signal.signal(term, terminate)


def xlsx_output(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback: a workbook output must be named .xlsx (Excel refuses another name)."""
    if value is not None and value.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"输出文件“{value}”应为 .xlsx 工作簿", ctx=ctx, param=param)
    if value is not None and not name_fits(value.name):
        raise click.BadParameter(f"输出文件名“{value.name}”太长（文件名太长，磁盘上无法保存），"
                                 "请换一个短一些的文件名（不超过 75 个汉字）", ctx=ctx, param=param)
    return value


def name_fits(name: str) -> bool:
    """Whether a file of this name, and the temporary file written first beside it
    (``.~<stem>-XXXXXXXX<suffix>``, :func:`gxexcel.atomic.atomic_path`), can be made: 255 bytes
    on Linux and macOS, 255 UTF-16 units on Windows."""
    size = len(name.encode("utf-16-le")) // 2 if os.name == "nt" else len(os.fsencode(name))
    return size + len(".~-XXXXXXXX") <= 255


def tolerate_narrow_consoles() -> None:
    """A console that cannot show a character (the GBK code page of a Chinese Windows console or
    a redirected output, an ASCII locale) shows it as ``\\u3d58`` instead of failing the command:
    a rare character in a unit or file name must not cost the clerk the whole output."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        utf8 = codecs.lookup(stream.encoding).name == "utf-8"
        # strict fails; surrogateescape (an ASCII locale) fails on all but undecodable file-name bytes
        if stream.errors == "strict" or (stream.errors == "surrogateescape" and not utf8):
            stream.reconfigure(errors="backslashreplace")


def echo_json(text: str) -> None:
    """Print JSON text; characters the console cannot show are written as JSON escapes
    (``\\u3d58``, a surrogate pair beyond the BMP), so the output stays exact, valid JSON."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = "".join(ch if _encodable(ch, encoding) else json.dumps(ch)[1:-1] for ch in text)
    click.echo(text)


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def interrupted(exc: BaseException | None = None) -> NoReturn:
    """Ctrl+C: say so in Chinese and exit 130 (not click's “已取消。” with exit 1, which means findings);
    SIGTERM (:class:`Terminated`): exit 143."""
    sys.unraisablehook = lambda _: None  # no "Exception ignored" noise from half-run writers at exit
    if isinstance(exc, Terminated):
        err_console.print("[yellow]已终止（收到结束信号，如关机、任务管理器或计划任务结束了程序），未写出任何不完整的文件。[/]")
        sys.exit(EXIT_TERMINATED)
    err_console.print("[yellow]已中断，未写出任何不完整的文件。[/]")
    sys.exit(EXIT_INTERRUPTED)


def guarded(func: F) -> F:
    """Turn a GxError into a Chinese message and exit code 2; never show a traceback
    to the user (set GXEXCEL_DEBUG=1 to see it)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GxError as exc:
            err_console.print(f"[bold red]无法处理[/]：{escape(str(exc))}")
            sys.unraisablehook = lambda _: None  # no "Exception ignored" noise from a write stopped half-way
            sys.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            interrupted(exc)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except UnicodeEncodeError as exc:
            if exc.encoding.replace("-", "").lower() != sys.getfilesystemencoding().replace("-", "").lower():
                raise
            # an ASCII locale (LANG=C) without Python's UTF-8 mode: Chinese file names cannot be made
            err_console.print(
                f"[bold red]无法处理[/]：系统的区域设置（文件名编码 {sys.getfilesystemencoding()}）不支持中文文件名。"
                "请在 UTF-8 区域设置下运行（例如设置环境变量 PYTHONUTF8=1 或 LANG=zh_CN.UTF-8）。"
            )
            sys.exit(EXIT_UNUSABLE)
        except Exception as exc:  # pragma: no cover - the last line of defence
            if os.environ.get("GXEXCEL_DEBUG"):
                raise
            err_console.print(
                f"[bold red]内部错误[/]：{type(exc).__name__}: {escape(str(exc))}\n"
                "请将此信息和输入文件反馈给维护人员（设置环境变量 GXEXCEL_DEBUG=1 可查看详细信息）。"
            )
            sys.unraisablehook = lambda _: None  # no "Exception ignored" noise after the message
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
