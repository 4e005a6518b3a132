"""Chart wording in the UI language, without Qt.

Chart text is written in Chinese (the source language, as everywhere in sqdesk) inside
``translate("charts", "…")`` calls, where ``translate`` is a keyword argument of every
drawing function: :func:`chinese` by default (the text as written: the CLI and every
Chinese caller get exactly the Chinese labels), ``QCoreApplication.translate`` from the
UI, which has the English catalogue ``charts_en.ts`` installed. Templates keep
``{name}`` placeholders and are filled by ``.format`` *after* translation — never an
f-string inside the call (lupdate would collect the f-string's source, not the words).

Words kept in tables at module level are marked with :func:`QT_TRANSLATE_NOOP` (Qt's
name, so lupdate collects them; it returns its text) and translated where they are drawn.

Stored vocabulary drawn as labels (levels, roles) is translated in the ``Vocab`` context
(:data:`VOCAB`), whose English lives with the shell's (``sqdesk.ui.i18n.vocab``).

The catalogue is built from the sources in ``sqdesk.ui.i18n.CATALOGUE_SOURCES``::

    python -m sqdesk.ui.i18n charts_en.ts
"""

from __future__ import annotations

from collections.abc import Callable

# translate(context, source text) -> the text in the UI language (QCoreApplication.translate's shape)
Translate = Callable[[str, str], str]

CONTEXT = "charts"
VOCAB = "Vocab"   # = sqdesk.ui.i18n.VOCAB_CONTEXT (a test checks)


def chinese(context: str, text: str) -> str:
    """The default ``translate``: the source text, which is Chinese."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for lupdate (context ``context``); returns it unchanged."""
    return text
