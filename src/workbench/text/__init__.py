"""Open text: Finnish (and Swedish, English) customer feedback - themes, tone, suggestions, drivers.

One pass (:func:`analyse`: redact -> normalise -> tokenise -> language -> lemmas) feeds the theme
taxonomy (:func:`classify`), tone (:func:`tone`), suggestions (:func:`suggestions`); the statistics
reuse the core engine (shares with Wilson intervals, control charts, ``compare``).
"""

from .agreement import agreement
from .analysis import Analysis, analyse
from .discover import Discovery, discover_themes
from .drivers import driver_regression, nps_impact, relative_importance, shapley_r2
from .feedback import THEME_PREFIX, code_comments, theme_columns
from .learn import ThemeClassifier, cross_validate_themes
from .lemmas import get_lemmatiser, voikko_available
from .lexicon import Lexicon, load_lexicon
from .normalise import normalise
from .prevalence import compare_themes, comment_rate, theme_prevalence, theme_tone, theme_trends
from .quotes import comment_sample, example_quotes
from .suggestions import suggestions
from .taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from .themes import classify
from .tone import TONES, ToneModel, tone

__all__ = [
    "agreement", "Analysis", "analyse", "Discovery", "discover_themes", "driver_regression", "nps_impact",
    "relative_importance", "shapley_r2", "THEME_PREFIX", "code_comments", "theme_columns", "ThemeClassifier",
    "cross_validate_themes", "get_lemmatiser", "voikko_available", "Lexicon", "load_lexicon", "normalise",
    "compare_themes", "comment_rate", "theme_prevalence", "theme_tone", "theme_trends", "comment_sample",
    "example_quotes", "suggestions", "Taxonomy", "default_taxonomy", "load_taxonomy", "classify", "TONES",
    "ToneModel", "tone",
]
