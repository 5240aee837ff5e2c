"""Build the accuracy corpus: ``NN_name.txt`` plus ``NN_name.expected.json``.

Two kinds of document, both written in the annotation markup of ``_markup.py``:

* hand-written sources in ``_src/*.src``, each aimed at a group of phenomena;
* documents assembled here from fragment pools (``_fragments.py``) with a seeded
  random generator, to reach the corpus size with many variants of the same
  phenomena (URL breaks, date formats, citation styles, page layouts).

The output is deterministic: running this script twice writes the same bytes, and
``tests/test_corpus_accuracy.py`` checks that the committed files are up to date.
Expectations come from the annotations, never from running the parser.

    python tests/corpus/_generate.py          # rewrite the corpus
    python tests/corpus/_generate.py --check  # exit 1 if a file is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _markup import compile_markup  # noqa: E402


def _sources() -> dict[str, tuple[str, str]]:
    """name -> (markup source, line ending)"""
    import _fragments

    docs: dict[str, tuple[str, str]] = {}
    for src in sorted((HERE / "_src").glob("*.src")):
        docs[src.stem] = (src.read_text(encoding="utf-8"), "\n")
    for name, (source, eol) in _fragments.generated_documents().items():
        docs[name] = (source, eol)
    return docs


def build() -> dict[str, bytes]:
    """file name -> bytes, for every corpus file."""
    files: dict[str, bytes] = {}
    for name, (source, eol) in sorted(_sources().items()):
        text, expected = compile_markup(source, name=name)
        data = text.replace("\n", eol).encode("utf-8")
        if name.endswith("_bom"):
            data = b"\xef\xbb\xbf" + data
        files[f"{name}.txt"] = data
        expected = {"document": f"{name}.txt", **expected}
        body = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
        files[f"{name}.expected.json"] = body.encode("utf-8")
    return files


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [n for n, d in files.items() if not (HERE / n).exists() or (HERE / n).read_bytes() != d]
        for n in stale:
            print(f"stale: {n}")
        return 1 if stale else 0
    for n, d in files.items():
        (HERE / n).write_bytes(d)
    print(f"wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
