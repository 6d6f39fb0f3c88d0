"""notebooks/walkthrough.ipynb runs top to bottom (real kernel, real model) and shows what it promises."""
from __future__ import annotations

import re
from html import unescape

import nbclient
import nbformat
import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", []))
    data = output.get("data", {})
    return "\n".join(str(data.get(kind, "")) for kind in ("text/plain", "text/html"))


def test_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    return nb


def test_notebook_runs_and_shows_results(executed) -> None:
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "Warning" not in stderr, stderr
    text = "\n".join(_text(o) for o in outputs)
    # the event table as a DataFrame and one JSON record
    assert re.search(r"Sergei Lavrov\s+Hamas\s+111\s+3\s+-2\.0\s+False", text)
    assert re.search(r"Hamas\s+Roni Krivoi\s+084\s+2\s+7\.0", text)
    assert '"cameo": "111"' in text
    assert "Russia | call on | Hamas | to release the hostages | AppealGeneral 020" in text
    # the graph and the two queries
    assert re.search(r"^\d+ triples$", text, re.M)
    assert "who-did-what" in text and re.search(r"Sergei Lavrov\s+condemn\s+Hamas\s+111", text)
    assert re.search(r"^root_code\s*$", text, re.M) and re.search(r"^11\s+4\s+-2\.0+$", text, re.M)
    assert re.search(r"Mikhail Bogdanov\s+Deputy Foreign Minister\s+RUS\s+\d+$", text, re.M)
    # the inline, offline HTML view
    assert re.search(r"<kg network view: \d+ nodes, \d+ edges, \d+ events>", text)
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})
            and o["data"]["text/html"].startswith("<iframe")]  # (DataFrames show as HTML tables too)
    assert len(html) == 1 and html[0].startswith('<iframe class="kg-view" srcdoc="&lt;!DOCTYPE html&gt;')
    page = unescape(re.fullmatch(r'<iframe class="kg-view" srcdoc="([^"]*)".*', html[0], re.S)[1])
    assert "Sergei Lavrov" in page and 'id="kg-data"' in page and "vis.Network" in page
    # statistics
    assert re.search(r"^articles:\s+1$", text, re.M) and "events by CAMEO root" in text
    assert re.search(r"^networkx: \d+ nodes, \d+ edges$", text, re.M)


def test_notebook_dataframe_section_writes_its_plot(executed) -> None:
    """Section 6: the event table as a DataFrame (two reports of one meeting: num_mentions 2),
    and the weekly quad-class / Goldstein plot written as a PNG file."""
    from pathlib import Path

    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "\n".join(_text(o) for o in outputs)
    assert re.search(r"2024-04-01\s+Sergei Lavrov\s+Wang Yi\s+040\s+1\s+1\.0\s+2$", text, re.M)
    assert "'cameo_code': 'string'" in text and "'event_date': 'datetime64[ns]'" in text
    [plot] = re.findall(r"^plot written: (.+\.png)$", text, re.M)
    assert Path(plot).is_file() and Path(plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("image/png" in o.get("data", {}) for o in outputs)
