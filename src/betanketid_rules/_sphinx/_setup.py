"""The extension's ``setup``: configuration values, the domain, the directives, the stylesheet.

The stylesheet is ``static/betanketid.css`` in this package; it is written to the build's
``_static`` directory when an HTML build finishes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import cast

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.typing import ExtensionMetadata

from .. import __version__
from ._console import ConsoleDirective
from ._decision_changes import DecisionChangesDirective
from ._dmn_files import DmnFilesDirective, write_dmn_files
from ._domain import BetanketidDomain
from ._open_questions import OpenQuestionsDirective
from ._schema_fields import FieldsDirective, SchemaDirective
from ._social_services import SocialServicesDirective
from ._sources import SourcesDirective
from ._summary import LegendDirective, SummaryDirective
from ._tables_page import FamilyDirective, TableDirective
from ._wordings import WordingsDirective

CSS_FILE = "betanketid.css"
_CSS = resources.files("betanketid_rules._sphinx") / "static" / CSS_FILE


def _config_inited(app: Sphinx, config: Config) -> None:
    directory = cast(str | None, config.betanketid_tables_dir)
    if directory is not None:
        config.betanketid_tables_dir = str((Path(app.confdir) / directory).resolve())


def _write_css(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS_FILE).write_text(_CSS.read_text(encoding="utf-8"), encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives, the ``betanketid`` domain and the stylesheet."""
    app.add_config_value("betanketid_tables_dir", None, "env", types=(str, type(None)))
    app.add_config_value("betanketid_require_complete", True, "env", types=(bool,))
    app.add_domain(BetanketidDomain)
    app.add_directive("betanketid-table", TableDirective)
    app.add_directive("betanketid-family", FamilyDirective)
    app.add_directive("betanketid-sources", SourcesDirective)
    app.add_directive("betanketid-open-questions", OpenQuestionsDirective)
    app.add_directive("betanketid-social-services", SocialServicesDirective)
    app.add_directive("betanketid-decision-changes", DecisionChangesDirective)
    app.add_directive("betanketid-schema", SchemaDirective)
    app.add_directive("betanketid-summary", SummaryDirective)
    app.add_directive("betanketid-fields", FieldsDirective)
    app.add_directive("betanketid-legend", LegendDirective)
    app.add_directive("betanketid-wordings", WordingsDirective)
    app.add_directive("betanketid-console", ConsoleDirective)
    app.add_directive("betanketid-dmn-files", DmnFilesDirective)
    app.add_css_file(CSS_FILE)
    app.connect("config-inited", _config_inited)
    app.connect("build-finished", _write_css)
    app.connect("build-finished", write_dmn_files)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
