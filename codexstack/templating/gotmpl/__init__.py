"""Go's ``text/template`` in Python, byte for byte (the ``go`` dialect of codexstack).

A port of Go's lexer, parser and executor (``text/template``, ``text/template/parse``) and
of the parts of ``fmt``, ``strconv`` and ``time`` that template output depends on, over a
small value model (:mod:`.values`, :mod:`.types`) that carries the Go types reflection
would see. Entry point: :func:`.template.render`. Its output is checked against Go itself
by the differential test in ``tests/templating``.
"""
