"""campaign.yaml's schema: the docs' reference is generated from it, so it cannot go stale."""

from printkit.programme.schema import reference_markdown

from conftest import ROOT


def test_committed_reference_is_what_the_schema_generates():
    page = (ROOT / "docs" / "reference" / "campaign-yaml.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), "the schema has changed: run scripts/campaign-reference"
