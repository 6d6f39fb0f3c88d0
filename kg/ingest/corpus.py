"""Long runs over a corpus, as the user sees them: a progress bar and the list of skipped articles.

Both are fed by the build loop (`kg.pipeline.run.build_into`): the bar by its `progress` callback,
the log by its `on_error` callback. `CorpusRun` ties them to the options of one `kg build`
(`kg.pipeline.run.BuildOptions`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, TextIO

from tqdm import tqdm

from kg.errors import InputError
from kg.ingest.articles import Skipped, count_articles
from kg.model import ArticleResult

SKIPPED_EXIT = 3  # the build finished, but some articles were left out
MAX_LISTED = 20  # skipped articles named one per line at the end; the rest are counted


class _Tqdm(tqdm):
    monitor_interval = 0  # no monitor thread: worker processes may be forked while the bar is up


class ProgressBar:
    """Articles done (of how many, when the input says), sentences, events, skipped, rate and ETA, on stderr."""

    def __init__(self, paths: list[str | Path], stream: TextIO):
        self.stream = stream
        self._bar = _Tqdm(total=count_articles(paths), unit=" articles", desc="kg build", file=stream,
                          dynamic_ncols=True, smoothing=0.1, mininterval=0.5)
        self.sentences = self.events = self.skipped = 0

    def article_done(self, result: ArticleResult) -> None:
        self.sentences += len(result.sentences)
        self.events += len(result.events)
        self._step()

    def article_skipped(self, skipped: Skipped) -> None:
        self.skipped += 1
        self._step()

    def article_already_done(self) -> None:
        self._step()

    def _step(self) -> None:
        postfix = f"{self.sentences} sentences, {self.events} events"
        if self.skipped:
            postfix += f", {self.skipped} skipped"
        self._bar.set_postfix_str(postfix, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


class SkipLog:
    """The articles (or files) a run left out, in the order met."""

    def __init__(self) -> None:
        self.skipped: list[Skipped] = []

    def __call__(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)

    def __bool__(self) -> bool:
        return bool(self.skipped)

    def lines(self) -> list[str]:
        """One line per skipped article (at most MAX_LISTED, then a count of the others)."""
        lines = [f"kg: skipped: {s.reason}" for s in self.skipped[:MAX_LISTED]]
        if len(self.skipped) > MAX_LISTED:
            lines.append(f"kg: skipped: ... and {len(self.skipped) - MAX_LISTED} more")
        return lines

    def summary(self, built: int) -> str:
        """The closing line, e.g. '3 articles skipped: a.txt, feed.jsonl line 2, ...; the graph holds the other 97'."""
        count = len(self.skipped)
        names = ", ".join(s.where for s in self.skipped[:3]) + (", ..." if count > 3 else "")
        return (f"{count} article{'s' if count != 1 else ''} skipped ({names}; listed above); "
                f"the output holds the other {built}")

    def nothing_read(self) -> InputError:
        """The error when every article was skipped: the reason itself when there is one."""
        if len(self.skipped) == 1:
            return InputError(self.skipped[0].reason)
        return InputError(f"no article could be read: all {len(self.skipped)} were skipped "
                          f"(listed above); the first: {self.skipped[0].reason}")


class CorpusRun:
    """One `kg build` over a corpus, as the user sees it: its progress bar (or none) and its skip
    log, fed through the callbacks of the build's options (`skipped`, `progress`, `left_out`)."""

    def __init__(self, paths: list[str], stream: TextIO | None):
        self.bar = ProgressBar(paths, stream) if stream is not None else None
        self.skips = SkipLog()
        self.already_done = 0  # articles --resume left out

    @property
    def progress(self) -> Callable[[ArticleResult], None] | None:
        """Told of each article built (the bar moves on), or None without a bar."""
        return self.bar.article_done if self.bar else None

    def skipped(self, skipped: Skipped) -> None:
        """An article left out because it could not be read or processed."""
        self.skips(skipped)
        if self.bar:
            self.bar.article_skipped(skipped)

    def left_out(self, article_id: str) -> None:
        """An article left out because the store already has it (--resume)."""
        self.already_done += 1
        if self.bar:
            self.bar.article_already_done()

    def phase(self, name: str) -> None:
        """A step after the reading has begun ("writing the graph"): the bar is done, and the step
        is said on its own line, so a long write never looks like a stalled bar."""
        if self.bar:
            self.bar.close()
            self.bar.stream.write(f"kg build: {name} ...\n")
            self.bar.stream.flush()

    def close(self) -> None:
        if self.bar:
            self.bar.close()
