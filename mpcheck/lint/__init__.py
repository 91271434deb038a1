"""``mpcheck lint``: find the start-method pitfalls of :mod:`mpcheck.pitfalls` in code before it runs.

Stdlib ``ast`` only. :mod:`.program` reads the files as one program, :mod:`.model` reads one module into
the facts rules share (one mixin per question: :mod:`.binding`, :mod:`.kinds`, :mod:`.start_methods`,
:mod:`.sends`, :mod:`.paths`; what they share in :mod:`.parts`), :mod:`.rules` holds one
rule per pitfall, :mod:`.core` runs them on a file; :mod:`.discover`, :mod:`.config`, :mod:`.output`
and :mod:`.explain` serve the command (:mod:`.command`). The rest of mpcheck uses :mod:`.api`.

Empty on purpose: importing a submodule must not load the linter (``mpcheck run`` does not).
"""
