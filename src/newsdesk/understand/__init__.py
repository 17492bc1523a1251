"""Understand: who said what (quotes with their speakers), who and where an article is about
(people, organisations, places, and figures), and which section it belongs in (categories).

Stage functions over an article's stored text, like extract/ and provenance/: no store access, no
network; the desk calls them and stores what they return. One module per part:
``quotes.py``, ``entities.py``, ``categories.py`` (each with its own evaluation in
``bench/understand/``).
"""
