"""Text cut into sentences, so speech starts quickly and can stop between them."""

from __future__ import annotations

import re

MAX_CHUNK_CHARS = 200


def split_for_speech(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split text into sentences so speech starts quickly and can stop between them."""
    sentences = re.findall(r".+?(?:[。！？；!?;…]+|\.(?=\s)|\n|$)", text, flags=re.S)
    chunks: list[str] = []
    for sentence in sentences:
        sentence = sentence.strip()
        while len(sentence) > max_chars:
            # Prefer a clause boundary in the second half; otherwise cut hard.
            window = sentence[:max_chars]
            cut = max(window.rfind(mark) for mark in "，,、：: ")
            cut = cut + 1 if cut >= max_chars // 2 else max_chars
            chunks.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        chunks.append(sentence)
    # Pure punctuation would only produce silence (and pyttsx3 rejects empty text).
    return [chunk for chunk in chunks if any(ch.isalnum() for ch in chunk)]
