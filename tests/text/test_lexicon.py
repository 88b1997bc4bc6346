import pytest

from workbench.errors import TaxonomyError
from workbench.text.lexicon import LEXICON_KEYS, load_lexicon


def test_lexicon_validation(tmp_path):
    assert set(load_lexicon().entries) == {"fi", "sv", "en"}
    path = tmp_path / "lex.toml"
    path.write_text('[lexicon]\nname = "x"\nversion = "1"\n[fi]\npositve = ["hyvä"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"section \[fi\]: unknown key 'positve'"):
        load_lexicon(path)
    path.write_text('[lexicon]\nname = "x"\nversion = "1"\n[fi]\nnegative = ["hy**vä"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"section \[fi\]: key 'negative', item 1: the pattern has an invalid"):
        load_lexicon(path)
    path.write_text('[lexicon]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"missing table \[lexicon\] with text keys 'name' and 'version'"):
        load_lexicon(path)
    assert "suggestion" in LEXICON_KEYS


@pytest.mark.parametrize("text, message", [
    ('[lexicon]\nname = "x"\nversion = "1"\n[de]\n', r"unknown section 'de' \(valid: lexicon, fi, sv, en\)"),
    ('fi = 3\n[lexicon]\nname = "x"\nversion = "1"\n', r"section \[fi\] must be a table"),
    ('[lexicon]\nname = "x"\nversion = "1"\n[fi]\npositive = "hyvä"\n', r"section \[fi\]: key 'positive' must be a list of patterns"),
    ('[lexicon]\nname = "x"\nversion = "1"\n', r"no language section \(\[fi\], \[sv\] or \[en\]\)"),
    ('[lexicon\n', r"is not valid TOML"),
])
def test_more_invalid_lexicons(tmp_path, text, message):
    path = tmp_path / "lex.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_lexicon(path)
    with pytest.raises(TaxonomyError, match=r"Lexicon file '.*nope.toml' does not exist"):
        load_lexicon(tmp_path / "nope.toml")
