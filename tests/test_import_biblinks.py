"""The link fields of an imported .bib file: files of the source copied where the publications page finds
them, fields that name no file (or a path out of the site) left out with a note at their line."""
from __future__ import annotations

from conftest import write_site
from import_checks import GIF
from mlfolio.importers.biblinks import import_bib
from mlfolio.importers.files import SourceTree
from mlfolio.importers.output import NewSite
from mlfolio.importers.report import Report

BIB = r"""@inproceedings{lovelace2024notes,
  title     = {Notes on the {Analytical Engine}},
  author    = {Lovelace, Ada},
  booktitle = {Proc. of Things},
  year      = 2024,
  pdf       = {notes.pdf},
  supp = "missing_supp.pdf",
  preview={engine.gif},
  code={https://github.com/ada/engine},
  html = {../../../etc/passwd},
  slides={/assets/pdf/talk.pdf}
}

@misc{other,
  title={Other}, author={B, A}, year={2020}, url={assets}, blog={doi:10.1/x}}
"""


def test_files_copied_and_missing_fields_left_out(tmp_path):
    source = write_site(tmp_path / "src", {"assets/pdf/notes.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
                                          "assets/pdf/talk.pdf": b"%PDF-1.5\n",
                                          "assets/img/publication_preview/engine.gif": GIF,
                                          "assets/img/other.png": GIF})
    report, site = Report("al-folio"), NewSite()
    text, keys = import_bib("_bibliography/papers.bib", BIB, SourceTree(source, report), site, report)
    assert keys == {"lovelace2024notes", "other"}
    assert sorted(site.copies) == ["static/assets/img/publication_preview/engine.gif", "static/assets/pdf/notes.pdf",
                                   "static/assets/pdf/talk.pdf"]
    assert "missing_supp" not in text and "passwd" not in text and "url={assets}" not in text
    assert "  pdf       = {notes.pdf},\n  preview={engine.gif},\n  code={https://github.com/ada/engine},\n" \
           "  slides={/assets/pdf/talk.pdf}\n}" in text
    assert "blog={doi:10.1/x}}" in text                        # an address of another kind: the build judges it
    assert [str(n) for n in report.notes] == [
        "_bibliography/papers.bib:7: supp 'missing_supp.pdf' is no file of the site — left out; put it in "
        "assets/pdf/ and import again, or give an https:// address",
        "_bibliography/papers.bib:10: html '../../../etc/passwd' is no file of the site — left out; give an "
        "https:// address",
        "_bibliography/papers.bib:15: url 'assets' is no file of the site — left out; give an https:// address"]
