"""The `kg` command group: every failure a user can fix ends as ONE line `kg: error: ...` on
stderr and a non-zero exit code, with no traceback (KG_DEBUG=1 shows the traceback of an
unexpected, internal error).
"""
from __future__ import annotations

import gc
import os
import sys
from typing import Any, NoReturn

import click

from kg.errors import Interrupted, KgError


INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE: a bug, not a problem with the input


def fail(message: str, exit_code: int = 1) -> NoReturn:
    """Print one `kg: error:` line on stderr and exit."""
    click.echo(f"kg: error: {' '.join(str(message).split())}", err=True)
    sys.exit(exit_code or 1)


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under CliRunner)
        pass


class KgGroup(click.Group):
    """Turns every error into one line on stderr and a non-zero exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.NoArgsIsHelpError):
            raise  # --help / --version, and `kg CMD` without arguments (shows help)
        except (KeyboardInterrupt, click.Abort):  # Ctrl-C: one line, not click's "Aborted!"
            fail("interrupted (Ctrl-C)", Interrupted.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            fail(f"{exc.format_message()} (see '{command} --help')", exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except KgError as exc:
            fail(str(exc), exc.exit_code)
        except BrokenPipeError:  # `kg extract ... | head`: the reader is gone, nothing to report
            _silence_stdout()
            sys.exit(0)
        except OSError as exc:
            fail(_os_message(exc))
        except Exception as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); this is a bug in kg, please report it "
                  "(set KG_DEBUG=1 to see the traceback)", INTERNAL_ERROR_EXIT)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of diplomatic events from news articles."""


def run() -> None:
    """The `kg` program: `main`, then the process ends without the interpreter's last garbage
    collections, which walk every object still alive (after a build, the spaCy model: ~0.3 s).
    Every output is written and closed by then, and the system frees the memory at once."""
    try:
        main(prog_name="kg")
    finally:
        gc.freeze()
