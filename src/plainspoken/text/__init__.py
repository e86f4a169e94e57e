"""Shared text primitives: documents with source positions, sentences, readability."""

from plainspoken.text.document import Document
from plainspoken.text.loaders import from_text, load
from plainspoken.text.sentences import Sentence, split, words

__all__ = ["Document", "Sentence", "from_text", "load", "split", "words"]
